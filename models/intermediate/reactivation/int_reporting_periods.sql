-- One row per month, quarter and year of the waterfall: from the first month with ARR
-- through the period holding as_of_date.

with

waterfall as (

    select * from {{ ref('fct_arr_waterfall') }}

),

final as (

    select
        period_grain,
        period_start,
        period_end

    from waterfall

)

select * from final
