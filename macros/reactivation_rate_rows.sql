{#- The rate rows of one dimension of `fct_reactivation_rate`: inactive customers,
    reactivated customers, churned and reactivation ARR per period and value of
    `dimension_column` (a column of `pool`, `period_reactivations` and `churns`), or
    the totals when it is none. `churns` names the relation whose `final_arr` is the
    win-back rate's denominator. -#}
{% macro reactivation_rate_rows(dimension_name, dimension_column=none, churns='period_churns') %}
    {%- set value = dimension_column if dimension_column else "'all'" %}
    select
        periods.period_grain,
        periods.period_start,
        '{{ dimension_name }}' as dimension,
        dimension_values.dimension_value,
        coalesce(pool_counts.inactive_customers, 0) as inactive_customers,
        coalesce(pool_counts.reactivated_customers, 0) as reactivated_customers,
        coalesce(churns.churned_arr, 0) as churned_arr,
        coalesce(returns.reactivation_arr, 0) as reactivation_arr

    from periods
    inner join (
        select distinct period_grain, period_start, {{ value }} as dimension_value from pool
        union
        select distinct period_grain, period_start, {{ value }} from period_reactivations
        union
        select distinct period_grain, period_start, {{ value }} from {{ churns }}
        {%- if not dimension_column %}
        union
        select distinct period_grain, period_start, 'all' from periods
        {%- endif %}
    ) as dimension_values
        on
            periods.period_grain = dimension_values.period_grain
            and periods.period_start = dimension_values.period_start
    left join (
        select
            period_grain,
            period_start,
            {{ value }} as dimension_value,
            count(*) as inactive_customers,
            sum(case when is_reactivated_in_period then 1 else 0 end) as reactivated_customers
        from pool
        group by 1, 2, 3
    ) as pool_counts
        on
            dimension_values.period_grain = pool_counts.period_grain
            and dimension_values.period_start = pool_counts.period_start
            and dimension_values.dimension_value = pool_counts.dimension_value
    left join (
        select
            period_grain,
            period_start,
            {{ value }} as dimension_value,
            sum(final_arr) as churned_arr
        from {{ churns }}
        group by 1, 2, 3
    ) as churns
        on
            dimension_values.period_grain = churns.period_grain
            and dimension_values.period_start = churns.period_start
            and dimension_values.dimension_value = churns.dimension_value
    left join (
        select
            period_grain,
            period_start,
            {{ value }} as dimension_value,
            sum(return_arr) as reactivation_arr
        from period_reactivations
        group by 1, 2, 3
    ) as returns
        on
            dimension_values.period_grain = returns.period_grain
            and dimension_values.period_start = returns.period_start
            and dimension_values.dimension_value = returns.dimension_value
{% endmacro %}
