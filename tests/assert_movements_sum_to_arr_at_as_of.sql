-- Each customer's movements add up to their ARR at as_of_date, computed here straight
-- from the accepted events (the last event of each subscription on or before
-- as_of_date). Checked for customers billed only in the reporting currency, whose ARR
-- no exchange rate moves. A customer still paying at as_of_date is never churned. The
-- events are those that count under the policy in force (int_subscription_events_recognised).

with

events as (

    select * from {{ ref('int_subscription_events_recognised') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

movements as (

    select * from {{ ref('fct_arr_movements') }}

),

-- Per subscription, one pass over every event: the instant of its last event on or
-- before as_of_date, and whether any of its events is billed in another currency.
subscriptions as (

    select
        events.customer_id,
        events.subscription_id,
        max(
            case
                when events.effective_date <= reporting_dates.as_of_date
                    then events.effective_at
            end
        ) as last_effective_at,
        max(
            case
                when events.currency <> upper('{{ var("reporting_currency") }}') then 1
                else 0
            end
        ) as has_foreign_currency

    from events
    cross join reporting_dates
    group by events.customer_id, events.subscription_id

),

foreign_customers as (

    select distinct customer_id
    from subscriptions
    where has_foreign_currency = 1

),

-- Only the events at a subscription's last instant can be its last event; the event
-- order then decides between them.
latest_states as (

    select
        events.customer_id,
        events.arr_local,
        row_number() over (
            partition by events.customer_id, events.subscription_id
            order by
                events.occurred_at desc nulls last,
                events.ingested_at desc nulls last,
                events.event_id desc
        ) as recency_rank

    from events
    inner join subscriptions
        on
            events.customer_id = subscriptions.customer_id
            and events.subscription_id = subscriptions.subscription_id
            and events.effective_at = subscriptions.last_effective_at

),

arr_at_as_of as (

    select
        customer_id,
        sum(arr_local) as arr

    from latest_states
    where recency_rank = 1
    group by customer_id

),

movement_totals as (

    select
        customer_id,
        sum(arr_change) as arr

    from movements
    group by customer_id

)

select
    coalesce(arr_at_as_of.customer_id, movement_totals.customer_id) as customer_id,
    arr_at_as_of.arr as arr_from_events,
    movement_totals.arr as arr_from_movements

from arr_at_as_of
full outer join movement_totals
    on arr_at_as_of.customer_id = movement_totals.customer_id
where
    coalesce(arr_at_as_of.customer_id, movement_totals.customer_id) not in (
        select foreign_customers.customer_id from foreign_customers
    )
    and abs(coalesce(arr_at_as_of.arr, 0) - coalesce(movement_totals.arr, 0)) > 0.005
