-- The monthly waterfall starts in the month of the earliest ARR anywhere in the events
-- (no hard-coded start drops early customers): the first movement period whose closing
-- state of some subscription has ARR (a charge undone later the same day, or the same
-- month at month grain, never counted), and has every month through the month of
-- as_of_date with no gap. That its last ending ARR is the ARR at as_of_date computed
-- straight from the events is checked by assert_arr_at_as_of_matches_the_events.

with

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

dated_events as (

    select * from {{ ref('int_subscription_events_dated') }}

),

waterfall as (

    select * from {{ ref('fct_arr_waterfall') }}
    where period_grain = 'month'

),

first_arr as (

    select
        min(
            cast({{ dbt.date_trunc('month', 'dated_events.period_date') }} as date)
        ) as first_month

    from dated_events
    where dated_events.is_period_close and dated_events.arr_local > 0

),

expected_span as (

    select
        first_arr.first_month,
        cast(
            {{ dbt.date_trunc('month', 'reporting_dates.as_of_date') }} as date
        ) as last_month

    from first_arr
    cross join reporting_dates

),

reported_span as (

    select
        min(period_start) as first_month,
        max(period_start) as last_month,
        count(*) as months

    from waterfall

)

select
    expected_span.first_month as expected_first_month,
    reported_span.first_month as reported_first_month,
    expected_span.last_month as expected_last_month,
    reported_span.last_month as reported_last_month,
    reported_span.months

from expected_span
cross join reported_span
where
    expected_span.first_month <> reported_span.first_month
    or expected_span.last_month <> reported_span.last_month
    -- one row per calendar month from the first to the last, none missing
    or reported_span.months <> 1
    + 12 * (
        extract(year from reported_span.last_month)
        - extract(year from reported_span.first_month)
    )
    + extract(month from reported_span.last_month)
    - extract(month from reported_span.first_month)
