-- One row per date at which the inactive pool is scored: as_of_date (the targets of
-- fct_winback_targets) and four past cutoffs 90, 180, 270 and 360 days before it (the
-- back-test of int_winback_backtest). period_start is the day after the cutoff, the
-- start of the period whose pool is scored.

with

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

offsets as (

    select 0 as days_back
    union all
    select 90 as days_back
    union all
    select 180 as days_back
    union all
    select 270 as days_back
    union all
    select 360 as days_back

),

final as (

    select
        cast(
            {{ dbt.dateadd('day', '-offsets.days_back', 'reporting_dates.as_of_date') }} as date
        ) as cutoff_date,
        cast(
            {{ dbt.dateadd('day', '1 - offsets.days_back', 'reporting_dates.as_of_date') }}
            as date
        ) as period_start,
        offsets.days_back = 0 as is_as_of_date

    from offsets
    cross join reporting_dates

)

select * from final
