-- ARR at as_of_date computed straight from the accepted events (the last event of each
-- subscription on or before as_of_date) is what the marts report, in two checks:
-- - movements: each customer's movements add up to their ARR. Checked for customers
--   billed only in the reporting currency, whose ARR no exchange rate moves. A customer
--   still paying at as_of_date is never churned.
-- - waterfall_ending_arr: the monthly waterfall's last ending ARR is every customer's
--   ARR valued at the rates in force at as_of_date (under fx_valuation `service_start`
--   at the rates in force on the day each state took effect).
-- The events are those that count under the policy in force
-- (int_subscription_events_recognised). Both checks share one search for each
-- subscription's last event, the costly part.

{%- set by_state = policy('fx_valuation') == 'service_start' %}
{%- set reporting = "upper('" ~ var('reporting_currency') ~ "')" %}
{%- set same_state = 'latest_states.customer_id = rates.customer_id'
    ~ ' and latest_states.subscription_id = rates.subscription_id' %}

with

events as (

    select * from {{ ref('int_subscription_events_recognised') }}

),

-- The same events again, for the grouping by subscription: DuckDB holds a CTE read
-- twice in full (10.0M events at 1M customers, spilled to disk), while each of two
-- reads of the view streams.
subscription_events as (

    select * from {{ ref('int_subscription_events_recognised') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

movements as (

    select * from {{ ref('fct_arr_movements') }}

),

fx_rates as (

    select * from {{ ref('stg_raw__fx_rates') }}

),

waterfall as (

    select * from {{ ref('fct_arr_waterfall') }}
    where period_grain = 'month'

),

-- Per subscription, one pass over every event: the instant of its last event on or
-- before as_of_date, and whether any of its events is billed in another currency.
subscriptions as (

    select
        subscription_events.customer_id,
        subscription_events.subscription_id,
        max(
            case
                when subscription_events.effective_date <= reporting_dates.as_of_date
                    then subscription_events.effective_at
            end
        ) as last_effective_at,
        max(
            case when subscription_events.currency <> {{ reporting }} then 1 else 0 end
        ) as has_foreign_currency

    from subscription_events
    cross join reporting_dates
    group by subscription_events.customer_id, subscription_events.subscription_id

),

foreign_customers as (

    select distinct customer_id
    from subscriptions
    where has_foreign_currency = 1

),

-- Only the events at a subscription's last instant can be its last event; the event
-- order then decides between them.
ranked_states as (

    select
        events.customer_id,
        events.subscription_id,
        events.arr_local,
        events.currency,
        events.effective_date,
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

latest_states as (

    select
        customer_id,
        subscription_id,
        arr_local,
        currency,
        effective_date

    from ranked_states
    where recency_rank = 1

),

-- The movements check.
arr_at_as_of as (

    select
        customer_id,
        sum(arr_local) as arr

    from latest_states
    group by customer_id

),

movement_totals as (

    select
        customer_id,
        sum(arr_change) as arr

    from movements
    group by customer_id

),

movement_failures as (

    select
        coalesce(arr_at_as_of.customer_id, movement_totals.customer_id) as customer_id,
        arr_at_as_of.arr as arr_from_events,
        movement_totals.arr as arr_reported

    from arr_at_as_of
    full outer join movement_totals
        on arr_at_as_of.customer_id = movement_totals.customer_id
    where
        coalesce(arr_at_as_of.customer_id, movement_totals.customer_id) not in (
            select foreign_customers.customer_id from foreign_customers
        )
        and abs(coalesce(arr_at_as_of.arr, 0) - coalesce(movement_totals.arr, 0)) > 0.005

),

-- The waterfall_ending_arr check: the rates in force at as_of_date.
rates_at_as_of as (

    select
        fx_rates.currency,
        fx_rates.rate_to_reporting,
        row_number() over (
            partition by fx_rates.currency order by fx_rates.rate_date desc
        ) as recency_rank

    from fx_rates
    cross join reporting_dates
    where fx_rates.rate_date <= reporting_dates.as_of_date

),

{% if by_state -%}
-- The rate in force on the day each latest state took effect.
state_rates as (

    select
        latest_states.customer_id,
        latest_states.subscription_id,
        fx_rates.currency,
        fx_rates.rate_to_reporting,
        row_number() over (
            partition by latest_states.customer_id, latest_states.subscription_id
            order by fx_rates.rate_date desc
        ) as recency_rank

    from latest_states
    inner join fx_rates
        on
            latest_states.currency = fx_rates.currency
            and fx_rates.rate_date <= latest_states.effective_date

),

{% endif -%}
valued_arr_at_as_of as (

    select
        sum(
            latest_states.arr_local
            * case
                when latest_states.currency = {{ reporting }} then 1
                else rates.rate_to_reporting
            end
        ) as arr

    from latest_states
    left join {{ 'state_rates' if by_state else 'rates_at_as_of' }} as rates
        on
            latest_states.currency = rates.currency
            and {{ same_state if by_state else 'true' }}
            and rates.recency_rank = 1
    where latest_states.arr_local > 0

),

last_period as (

    select max(period_start) as period_start
    from waterfall

),

last_month as (

    select waterfall.ending_arr
    from waterfall
    inner join last_period
        on waterfall.period_start = last_period.period_start

),

waterfall_failures as (

    select
        cast(null as {{ dbt.type_string() }}) as customer_id,
        valued_arr_at_as_of.arr as arr_from_events,
        last_month.ending_arr as arr_reported

    from valued_arr_at_as_of
    cross join last_month
    where abs(coalesce(valued_arr_at_as_of.arr, 0) - last_month.ending_arr) > 0.01

)

select
    'movements' as failed_check,
    customer_id,
    arr_from_events,
    arr_reported

from movement_failures

union all

select
    'waterfall_ending_arr' as failed_check,
    customer_id,
    arr_from_events,
    arr_reported

from waterfall_failures
