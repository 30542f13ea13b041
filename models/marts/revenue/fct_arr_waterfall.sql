-- One row per period (month, quarter, year) from the first month with ARR through the
-- period holding as_of_date: the ARR bridge from starting to ending ARR, the sum of the
-- segments' bridges (every customer is in exactly one segment).

with

bridges as (

    select * from {{ ref('int_arr_bridge_segment_periods') }}

),

totals as (

    select
        period_grain,
        period_start,
        period_end,
        sum(starting_arr) as starting_arr,
        sum(new_arr) as new_arr,
        sum(expansion_arr) as expansion_arr,
        sum(reactivation_arr) as reactivation_arr,
        sum(contraction_arr) as contraction_arr,
        sum(churned_arr) as churned_arr,
        sum(fx_impact) as fx_impact,
        sum(ending_arr) as ending_arr,
        sum(starting_customers) as starting_customers,
        sum(new_customers) as new_customers,
        sum(reactivated_customers) as reactivated_customers,
        sum(churned_customers) as churned_customers,
        sum(ending_customers) as ending_customers

    from bridges
    group by period_grain, period_start, period_end

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
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
        {{ arr_bridge_measures() }},
        cast(starting_customers as {{ dbt.type_bigint() }}) as starting_customers,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(reactivated_customers as {{ dbt.type_bigint() }}) as reactivated_customers,
        cast(churned_customers as {{ dbt.type_bigint() }}) as churned_customers,
        cast(ending_customers as {{ dbt.type_bigint() }}) as ending_customers

    from totals

)

select * from final
