-- One row per currency × calendar day: the rate in force that day (the latest
-- rate_date on or before it). The reporting currency is always 1.

with

rate_intervals as (

    select * from {{ ref('int_fx_rate_intervals') }}

),

calendar as (

    select * from {{ ref('int_calendar_days') }}

),

final as (

    select
        rate_intervals.currency,
        calendar.date_day as rate_date,
        rate_intervals.rate_to_reporting

    from calendar
    inner join rate_intervals
        on {{ rate_in_force('rate_intervals', none, 'calendar.date_day') }}

)

select * from final
