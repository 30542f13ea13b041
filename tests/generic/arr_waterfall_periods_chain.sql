{#- Fails for every period whose starting ARR (or customer count) is not the previous
    period's ending one, within each grain (and partition). -#}
{% test arr_waterfall_periods_chain(model, partition_by=none) %}

with ordered as (

    select
        *,
        lag(ending_arr) over (
            partition by period_grain{% if partition_by %}, {{ partition_by }}{% endif %}
            order by period_start
        ) as previous_ending_arr,
        lag(ending_customers) over (
            partition by period_grain{% if partition_by %}, {{ partition_by }}{% endif %}
            order by period_start
        ) as previous_ending_customers,
        lag(period_end) over (
            partition by period_grain{% if partition_by %}, {{ partition_by }}{% endif %}
            order by period_start
        ) as previous_period_end

    from {{ model }}

)

select *
from ordered
where
    previous_ending_arr is not null
    and (
        abs(starting_arr - previous_ending_arr) > 0.01
        or starting_customers <> previous_ending_customers
        or {{ dbt.dateadd('day', 1, 'previous_period_end') | trim }} <> period_start
    )

{% endtest %}
