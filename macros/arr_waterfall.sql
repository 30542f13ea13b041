{#- The ARR waterfall, by month, quarter and year, optionally split by `dimensions`
    (columns of both `int_arr_currency_levels` and `fct_arr_movements`).
    Starting and ending ARR come from cumulative ARR levels valued at that day's rates;
    the movements are sums of `fct_arr_movements`; fx_impact is the revaluation of ARR
    held in other currencies. The identity ending = starting + movements + fx_impact is
    therefore a real check, made by the `arr_waterfall_balances` test. -#}
{% macro arr_waterfall(dimensions=[]) %}
{%- set dims = dimensions | join(', ') ~ (', ' if dimensions else '') %}

with

levels as (

    select * from {{ ref('int_arr_currency_levels') }}

),

movements as (

    select * from {{ ref('fct_arr_movements') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

points as (

    select
        {{ dims }}
        valuation_date,
        sum(arr) as arr,
        sum(fx_impact) as fx_impact

    from levels
    group by {{ dims }} valuation_date

),

months as (

    select distinct
        cast({{ dbt.date_trunc('month', 'points.valuation_date') }} as date) as period_start

    from points
    where points.valuation_date >= (
        select cast({{ dbt.date_trunc('month', 'min(movement_date)') }} as date)
        from movements
    )

),

dimension_values as (

    {% if dimensions -%}
    select distinct {{ dimensions | join(', ') }} from points
    {%- else -%}
    select 1 as all_rows
    {%- endif %}

),

month_grid as (

    select
        dimension_values.*,
        months.period_start,
        least(
            cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'months.period_start')) }} as date),
            reporting_dates.as_of_date
        ) as period_end,
        cast({{ dbt.dateadd('day', -1, 'months.period_start') }} as date) as start_point

    from months
    cross join dimension_values
    cross join reporting_dates

),

month_movements as (

    select
        {{ dims }}
        cast({{ dbt.date_trunc('month', 'movement_date') }} as date) as period_start,
        sum(case when movement_type = 'new' then arr_change else 0 end) as new_arr,
        sum(case when movement_type = 'expansion' then arr_change else 0 end) as expansion_arr,
        sum(case when movement_type = 'reactivation' then arr_change else 0 end)
            as reactivation_arr,
        sum(case when movement_type = 'contraction' then -arr_change else 0 end)
            as contraction_arr,
        sum(case when movement_type = 'churn' then -arr_change else 0 end) as churned_arr,
        sum(case when movement_type = 'new' then 1 else 0 end) as new_customers,
        sum(case when movement_type = 'reactivation' then 1 else 0 end) as reactivated_customers,
        sum(case when movement_type = 'churn' then 1 else 0 end) as churned_customers

    from movements
    group by {{ dims }} cast({{ dbt.date_trunc('month', 'movement_date') }} as date)

),

-- Revaluation at every valuation point of the month (the points stop at as_of_date).
month_fx as (

    select
        {{ dims }}
        cast({{ dbt.date_trunc('month', 'valuation_date') }} as date) as period_start,
        sum(fx_impact) as fx_impact

    from points
    group by {{ dims }} cast({{ dbt.date_trunc('month', 'valuation_date') }} as date)

),

month_rows as (

    select
        {% for d in dimensions %}month_grid.{{ d }}, {% endfor %}
        month_grid.period_start,
        month_grid.period_end,
        coalesce(starting.arr, 0) as starting_arr,
        coalesce(month_movements.new_arr, 0) as new_arr,
        coalesce(month_movements.expansion_arr, 0) as expansion_arr,
        coalesce(month_movements.reactivation_arr, 0) as reactivation_arr,
        coalesce(month_movements.contraction_arr, 0) as contraction_arr,
        coalesce(month_movements.churned_arr, 0) as churned_arr,
        coalesce(month_fx.fx_impact, 0) as fx_impact,
        coalesce(ending.arr, 0) as ending_arr,
        coalesce(month_movements.new_customers, 0) as new_customers,
        coalesce(month_movements.reactivated_customers, 0) as reactivated_customers,
        coalesce(month_movements.churned_customers, 0) as churned_customers

    from month_grid
    left join points as starting
        on
            month_grid.start_point = starting.valuation_date
            {% for d in dimensions %}and month_grid.{{ d }} = starting.{{ d }}{% endfor %}
    left join points as ending
        on
            month_grid.period_end = ending.valuation_date
            {% for d in dimensions %}and month_grid.{{ d }} = ending.{{ d }}{% endfor %}
    left join month_movements
        on
            month_grid.period_start = month_movements.period_start
            {% for d in dimensions %}and month_grid.{{ d }} = month_movements.{{ d }}{% endfor %}
    left join month_fx
        on
            month_grid.period_start = month_fx.period_start
            {% for d in dimensions %}and month_grid.{{ d }} = month_fx.{{ d }}{% endfor %}

),

month_customers as (

    -- Customers with ARR at the end of each month: every new customer and reactivation
    -- adds one, every churn takes one away.
    select
        *,
        sum(new_customers + reactivated_customers - churned_customers) over (
            {% if dimensions %}partition by {{ dimensions | join(', ') }}{% endif %}
            order by period_start
            rows between unbounded preceding and current row
        ) as ending_customers

    from month_rows

),

periods as (

    {% for grain in ['month', 'quarter', 'year'] %}
    select
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'period_start') }} as date) as grain_start,
        -- holds the dimension columns too
        month_customers.*,
        row_number() over (
            partition by {{ dims }} cast({{ dbt.date_trunc(grain, 'period_start') }} as date)
            order by period_start
        ) as month_number,
        row_number() over (
            partition by {{ dims }} cast({{ dbt.date_trunc(grain, 'period_start') }} as date)
            order by period_start desc
        ) as months_from_end

    from month_customers
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

rolled_up as (

    select
        period_grain,
        {% for d in dimensions %}periods.{{ d }}, {% endfor %}
        grain_start as period_start,
        max(period_end) as period_end,
        sum(case when month_number = 1 then starting_arr else 0 end) as starting_arr,
        sum(new_arr) as new_arr,
        sum(expansion_arr) as expansion_arr,
        sum(reactivation_arr) as reactivation_arr,
        sum(contraction_arr) as contraction_arr,
        sum(churned_arr) as churned_arr,
        sum(fx_impact) as fx_impact,
        sum(case when months_from_end = 1 then ending_arr else 0 end) as ending_arr,
        sum(
            case
                when month_number = 1
                    then ending_customers - new_customers - reactivated_customers + churned_customers
                else 0
            end
        ) as starting_customers,
        sum(new_customers) as new_customers,
        sum(reactivated_customers) as reactivated_customers,
        sum(churned_customers) as churned_customers,
        sum(case when months_from_end = 1 then ending_customers else 0 end) as ending_customers

    from periods
    group by period_grain, {{ dims }} grain_start

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        {% for d in dimensions %}cast({{ d }} as {{ dbt.type_string() }}) as {{ d }}, {% endfor %}
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(starting_arr as {{ money_type() }}) as starting_arr,
        cast(new_arr as {{ money_type() }}) as new_arr,
        cast(expansion_arr as {{ money_type() }}) as expansion_arr,
        cast(reactivation_arr as {{ money_type() }}) as reactivation_arr,
        cast(contraction_arr as {{ money_type() }}) as contraction_arr,
        cast(churned_arr as {{ money_type() }}) as churned_arr,
        cast(fx_impact as {{ money_type() }}) as fx_impact,
        cast(ending_arr as {{ money_type() }}) as ending_arr,
        cast(
            new_arr + expansion_arr + reactivation_arr - contraction_arr - churned_arr
            as {{ money_type() }}
        ) as net_new_arr,
        {{ safe_ratio(
            'starting_arr + expansion_arr + reactivation_arr - contraction_arr - churned_arr',
            'starting_arr'
        ) }} as nrr,
        {{ safe_ratio('starting_arr - contraction_arr - churned_arr', 'starting_arr') }} as grr,
        {{ safe_ratio(
            'new_arr + expansion_arr + reactivation_arr', 'contraction_arr + churned_arr'
        ) }} as quick_ratio,
        cast(starting_customers as {{ dbt.type_bigint() }}) as starting_customers,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(reactivated_customers as {{ dbt.type_bigint() }}) as reactivated_customers,
        cast(churned_customers as {{ dbt.type_bigint() }}) as churned_customers,
        cast(ending_customers as {{ dbt.type_bigint() }}) as ending_customers

    from rolled_up

)

select * from final
{% endmacro %}
