-- One row per spell of product inactivity (gaps and islands over product_usage): a
-- customer becomes usage-inactive once `inactivity_days` days have passed without
-- activity (inactive_date = last activity + inactivity_days) and is usage-reactivated
-- on their next activity (return_date). A spell still open at as_of_date has no return.

with

usage as (

    select * from {{ ref('stg_raw__product_usage') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

-- No distinct: a day given twice gets its own date as the next one on all but its
-- last row, and a gap of 0 days is never a spell (inactivity_days is at least 1).
active_days as (

    select
        usage.customer_id,
        usage.activity_date

    from usage
    cross join reporting_dates
    where usage.activity_date <= reporting_dates.as_of_date

),

with_next as (

    select
        customer_id,
        activity_date,
        lead(activity_date) over (
            partition by customer_id order by activity_date
        ) as next_activity_date

    from active_days

),

final as (

    select
        with_next.customer_id,
        with_next.activity_date as last_activity_date,
        cast(
            {{ dbt.dateadd('day', var('inactivity_days'), 'with_next.activity_date') }} as date
        ) as inactive_date,
        with_next.next_activity_date as return_date

    from with_next
    cross join reporting_dates
    where
        -- at least `inactivity_days` idle days before the next activity, or up to as_of
        {{ dbt.dateadd('day', var('inactivity_days'), 'with_next.activity_date') }}
        < coalesce(
            with_next.next_activity_date,
            {{ dbt.dateadd('day', 1, 'reporting_dates.as_of_date') }}
        )

)

select * from final
