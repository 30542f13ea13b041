-- One row per segment per month, quarter and year of int_reporting_periods: the ARR
-- bridge of the segment. Starting and ending ARR are cumulative ARR levels valued at
-- that day's rates; the movements are sums of the classified movements; fx_impact is
-- the revaluation of ARR held in other currencies. So ending = starting + movements +
-- fx_impact is a real check (test arr_waterfall_balances), not a definition. Both
-- waterfall marts read this model: by segment as it is, in total summed over segments.
-- Under short_lived_customers `exclude` the ARR changes left out of the movements (spells
-- that rose from 0 and fell back to 0 within a month) change neither starting nor
-- ending ARR; what remains of them, the difference of their rates between the spell's
-- start and end, is revaluation and is added to fx_impact.

with

levels as (

    select * from {{ ref('int_arr_currency_levels') }}

),

movements as (

    select * from {{ ref('int_arr_movements_classified') }}

),

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

{% if policy('short_lived_customers') == 'exclude' -%}
changes as (

    select * from {{ ref('int_customer_arr_changes') }}

),

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

-- Every ARR change of the month, counted as a movement or not.
month_changes as (

    select
        coalesce(customers.segment, 'unknown') as segment,
        cast({{ dbt.date_trunc('month', 'changes.period_date') }} as date) as period_start,
        sum(changes.arr_after - changes.arr_before) as arr_change

    from changes
    left join customers
        on changes.customer_id = customers.customer_id
    group by
        coalesce(customers.segment, 'unknown'),
        cast({{ dbt.date_trunc('month', 'changes.period_date') }} as date)

),

{% endif -%}

-- ARR and revaluation per segment at each valuation point, over its currencies.
segment_points as (

    select
        segment,
        valuation_date,
        sum(arr) as arr,
        sum(fx_impact) as fx_impact

    from levels
    group by segment, valuation_date

),

segments as (

    select distinct segment from segment_points

),

month_grid as (

    select
        segments.segment,
        periods.period_start,
        periods.period_end,
        cast({{ dbt.dateadd('day', -1, 'periods.period_start') }} as date) as start_point

    from periods
    cross join segments
    where periods.period_grain = 'month'

),

month_movements as (

    select
        segment,
        cast({{ dbt.date_trunc('month', 'movement_date') }} as date) as period_start,
        sum(case when movement_type = 'new' then arr_change else 0 end) as new_arr,
        sum(case when movement_type = 'expansion' then arr_change else 0 end) as expansion_arr,
        sum(case when movement_type = 'reactivation' then arr_change else 0 end)
            as reactivation_arr,
        sum(case when movement_type = 'contraction' then -arr_change else 0 end)
            as contraction_arr,
        sum(case when movement_type = 'churn' then -arr_change else 0 end) as churned_arr,
        sum(case when movement_type = 'new' then 1 else 0 end) as new_customers,
        sum(case when movement_type = 'reactivation' then 1 else 0 end)
            as reactivated_customers,
        sum(case when movement_type = 'churn' then 1 else 0 end) as churned_customers,
        sum(arr_change) as arr_change

    from movements
    group by segment, cast({{ dbt.date_trunc('month', 'movement_date') }} as date)

),

-- Revaluation at every valuation point of the month (the points stop at as_of_date).
month_fx as (

    select
        segment,
        cast({{ dbt.date_trunc('month', 'valuation_date') }} as date) as period_start,
        sum(fx_impact) as fx_impact

    from segment_points
    group by segment, cast({{ dbt.date_trunc('month', 'valuation_date') }} as date)

),

month_flows as (

    select
        month_grid.segment,
        month_grid.period_start,
        coalesce(opening.arr, 0) as starting_arr,
        coalesce(month_movements.new_arr, 0) as new_arr,
        coalesce(month_movements.expansion_arr, 0) as expansion_arr,
        coalesce(month_movements.reactivation_arr, 0) as reactivation_arr,
        coalesce(month_movements.contraction_arr, 0) as contraction_arr,
        coalesce(month_movements.churned_arr, 0) as churned_arr,
        coalesce(month_fx.fx_impact, 0)
        {%- if policy('short_lived_customers') == 'exclude' %}
        + coalesce(month_changes.arr_change, 0) - coalesce(month_movements.arr_change, 0)
        {%- endif %} as fx_impact,
        coalesce(closing.arr, 0) as ending_arr,
        coalesce(month_movements.new_customers, 0) as new_customers,
        coalesce(month_movements.reactivated_customers, 0) as reactivated_customers,
        coalesce(month_movements.churned_customers, 0) as churned_customers

    from month_grid
    left join segment_points as opening
        on
            month_grid.segment = opening.segment
            and month_grid.start_point = opening.valuation_date
    left join segment_points as closing
        on
            month_grid.segment = closing.segment
            and month_grid.period_end = closing.valuation_date
    left join month_movements
        on
            month_grid.segment = month_movements.segment
            and month_grid.period_start = month_movements.period_start
    left join month_fx
        on
            month_grid.segment = month_fx.segment
            and month_grid.period_start = month_fx.period_start
    {%- if policy('short_lived_customers') == 'exclude' %}
    left join month_changes
        on
            month_grid.segment = month_changes.segment
            and month_grid.period_start = month_changes.period_start
    {%- endif %}

),

-- Paying customers at each month end: every new customer and reactivation adds one,
-- every churn takes one away; a month starts with the previous month's end.
month_customers as (

    select
        *,
        sum(new_customers + reactivated_customers - churned_customers) over (
            partition by segment
            order by period_start
            rows between unbounded preceding and current row
        ) as ending_customers

    from month_flows

),

months as (

    select
        *,
        coalesce(
            lag(ending_customers) over (partition by segment order by period_start), 0
        ) as starting_customers

    from month_customers

),

-- Each period's flows are the sums of its months' flows.
period_flows as (

    select
        periods.period_grain,
        months.segment,
        periods.period_start,
        periods.period_end,
        sum(months.new_arr) as new_arr,
        sum(months.expansion_arr) as expansion_arr,
        sum(months.reactivation_arr) as reactivation_arr,
        sum(months.contraction_arr) as contraction_arr,
        sum(months.churned_arr) as churned_arr,
        sum(months.fx_impact) as fx_impact,
        sum(months.new_customers) as new_customers,
        sum(months.reactivated_customers) as reactivated_customers,
        sum(months.churned_customers) as churned_customers,
        min(months.period_start) as first_month_start,
        max(months.period_start) as last_month_start

    from periods
    inner join months
        on
            periods.period_start <= months.period_start
            and periods.period_end >= months.period_start
    group by periods.period_grain, months.segment, periods.period_start, periods.period_end

),

-- A period starts where its first month starts and ends where its last month ends (the
-- first year or quarter may begin before the first month with ARR).
final as (

    select
        period_flows.period_grain,
        period_flows.segment,
        period_flows.period_start,
        period_flows.period_end,
        first_month.starting_arr,
        period_flows.new_arr,
        period_flows.expansion_arr,
        period_flows.reactivation_arr,
        period_flows.contraction_arr,
        period_flows.churned_arr,
        period_flows.fx_impact,
        last_month.ending_arr,
        first_month.starting_customers,
        period_flows.new_customers,
        period_flows.reactivated_customers,
        period_flows.churned_customers,
        last_month.ending_customers

    from period_flows
    inner join months as first_month
        on
            period_flows.segment = first_month.segment
            and period_flows.first_month_start = first_month.period_start
    inner join months as last_month
        on
            period_flows.segment = last_month.segment
            and period_flows.last_month_start = last_month.period_start

)

select * from final
