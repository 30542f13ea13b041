-- One row per period (month, quarter, year) per customer segment: the ARR bridge of
-- each segment, from int_arr_bridge_segment_periods. The segments' rows add up to
-- fct_arr_waterfall.

with

bridges as (

    select * from {{ ref('int_arr_bridge_segment_periods') }}

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(segment as {{ dbt.type_string() }}) as segment,
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

    from bridges

)

select * from final
