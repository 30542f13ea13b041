-- The segments' waterfall rows add up to the total waterfall, period by period, in
-- every column, so no customer is lost or counted twice by the segment split.

with

segments as (

    select
        period_grain,
        period_start,
        sum(starting_arr) as starting_arr,
        sum(new_arr) as new_arr,
        sum(expansion_arr) as expansion_arr,
        sum(reactivation_arr) as reactivation_arr,
        sum(contraction_arr) as contraction_arr,
        sum(churned_arr) as churned_arr,
        sum(fx_impact) as fx_impact,
        sum(ending_arr) as ending_arr,
        sum(starting_customers) as starting_customers,
        sum(ending_customers) as ending_customers

    from {{ ref('fct_arr_waterfall_by_segment') }}
    group by period_grain, period_start

),

total as (

    select * from {{ ref('fct_arr_waterfall') }}

)

select
    total.period_grain,
    total.period_start

from total
full outer join segments
    on
        total.period_grain = segments.period_grain
        and total.period_start = segments.period_start
where
    total.period_start is null
    or segments.period_start is null
    or abs(total.starting_arr - segments.starting_arr) > 0.01
    or abs(total.new_arr - segments.new_arr) > 0.01
    or abs(total.expansion_arr - segments.expansion_arr) > 0.01
    or abs(total.reactivation_arr - segments.reactivation_arr) > 0.01
    or abs(total.contraction_arr - segments.contraction_arr) > 0.01
    or abs(total.churned_arr - segments.churned_arr) > 0.01
    or abs(total.fx_impact - segments.fx_impact) > 0.01
    or abs(total.ending_arr - segments.ending_arr) > 0.01
    or total.starting_customers <> segments.starting_customers
    or total.ending_customers <> segments.ending_customers
