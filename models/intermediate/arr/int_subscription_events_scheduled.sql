-- One row per accepted event that takes effect after as_of_date: a change already
-- booked but not yet history, with the as_of_date it is scheduled from.

with

events as (

    select * from {{ ref('int_subscription_events_recognised') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

final as (

    select
        events.*,
        reporting_dates.as_of_date

    from events
    cross join reporting_dates
    where events.effective_date > reporting_dates.as_of_date

)

select * from final
