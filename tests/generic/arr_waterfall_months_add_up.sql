{#- Fails for every quarter or year row that is not the sum of its month rows: the
    movements and fx_impact add up, starting ARR is the first month's and ending ARR
    the last month's. -#}
{% test arr_waterfall_months_add_up(model, partition_by=none) %}

{%- set keys = ['period_start_rolled'] + ([partition_by] if partition_by else []) %}

with months as (

    select * from {{ model }}
    where period_grain = 'month'

),

{%- for grain in ['quarter', 'year'] %}

{{ grain }}_from_months as (

    select
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'period_start') }} as date) as period_start_rolled,
        {%- if partition_by %}
        {{ partition_by }},
        {%- endif %}
        sum(new_arr) as new_arr,
        sum(expansion_arr) as expansion_arr,
        sum(reactivation_arr) as reactivation_arr,
        sum(contraction_arr) as contraction_arr,
        sum(churned_arr) as churned_arr,
        sum(fx_impact) as fx_impact,
        sum(new_customers) as new_customers,
        sum(churned_customers) as churned_customers,
        min(period_start) as first_month,
        max(period_start) as last_month

    from months
    group by
        cast({{ dbt.date_trunc(grain, 'period_start') }} as date)
        {%- if partition_by %},
        {{ partition_by }}
        {%- endif %}

),
{%- endfor %}

rolled as (

    select * from quarter_from_months
    union all
    select * from year_from_months

)

select rolled.*
from rolled
left join {{ model }} as reported
    on
        rolled.period_grain = reported.period_grain
        and rolled.period_start_rolled = reported.period_start
        {%- if partition_by %}
        and rolled.{{ partition_by }} = reported.{{ partition_by }}
        {%- endif %}
left join months as first_month
    on
        rolled.first_month = first_month.period_start
        {%- if partition_by %}
        and rolled.{{ partition_by }} = first_month.{{ partition_by }}
        {%- endif %}
left join months as last_month
    on
        rolled.last_month = last_month.period_start
        {%- if partition_by %}
        and rolled.{{ partition_by }} = last_month.{{ partition_by }}
        {%- endif %}
where
    reported.period_start is null
    or abs(reported.new_arr - rolled.new_arr) > 0.01
    or abs(reported.expansion_arr - rolled.expansion_arr) > 0.01
    or abs(reported.reactivation_arr - rolled.reactivation_arr) > 0.01
    or abs(reported.contraction_arr - rolled.contraction_arr) > 0.01
    or abs(reported.churned_arr - rolled.churned_arr) > 0.01
    or abs(reported.fx_impact - rolled.fx_impact) > 0.01
    or reported.new_customers <> rolled.new_customers
    or reported.churned_customers <> rolled.churned_customers
    or abs(reported.starting_arr - first_month.starting_arr) > 0.01
    or abs(reported.ending_arr - last_month.ending_arr) > 0.01

{% endtest %}
