-- A reviewer's reconciliation of the ARR bridge: per quarter, the waterfall's movements
-- next to the same movements summed straight from fct_arr_movements, and the gap
-- between ending ARR and starting ARR + movements + fx_impact (0 to the cent).
-- Compile with `dbt compile --select arr_bridge_reconciliation` and run the SQL.

with

waterfall as (

    select * from {{ ref('fct_arr_waterfall') }}
    where period_grain = 'quarter'

),

movements as (

    select * from {{ ref('fct_arr_movements') }}

),

movement_totals as (

    select
        cast({{ dbt.date_trunc('quarter', 'movement_date') }} as date) as period_start,
        sum(arr_change) as net_movement_arr,
        count(*) as movements

    from movements
    group by cast({{ dbt.date_trunc('quarter', 'movement_date') }} as date)

),

final as (

    select
        waterfall.period_start,
        waterfall.starting_arr,
        waterfall.net_new_arr,
        movement_totals.net_movement_arr,
        movement_totals.movements,
        waterfall.fx_impact,
        waterfall.ending_arr,
        waterfall.ending_arr
        - (waterfall.starting_arr + waterfall.net_new_arr + waterfall.fx_impact) as bridge_gap

    from waterfall
    left join movement_totals
        on waterfall.period_start = movement_totals.period_start

)

select * from final
order by period_start
