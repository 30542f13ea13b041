-- The monthly waterfall starts in the month of the earliest ARR anywhere in the events
-- (no hard-coded start drops early customers): the first movement period whose closing
-- state of some subscription has ARR (a charge undone later the same day, or the same
-- month at month grain, never counted), has every month through the month of
-- as_of_date with no gap, and its last ending ARR is the ARR at as_of_date computed
-- straight from the events (the last state of each subscription, valued at the rates in
-- force at as_of_date, or under fx_valuation `service_start` at the rates in force on
-- the day each state took effect). The events are those that count under the policy in
-- force (int_subscription_events_recognised).

{%- set by_state = policy('fx_valuation') == 'service_start' %}
{%- set same_state = 'latest_states.customer_id = rates.customer_id'
    ~ ' and latest_states.subscription_id = rates.subscription_id' %}

with

events as (

    select * from {{ ref('int_subscription_events_recognised') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

dated_events as (

    select * from {{ ref('int_subscription_events_dated') }}

),

fx_rates as (

    select * from {{ ref('stg_raw__fx_rates') }}

),

waterfall as (

    select * from {{ ref('fct_arr_waterfall') }}
    where period_grain = 'month'

),

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

history as (

    select events.*
    from events
    cross join reporting_dates
    where events.effective_date <= reporting_dates.as_of_date

),

-- Only the events at a subscription's last instant can be its last event; the event
-- order then decides between them.
last_instants as (

    select
        customer_id,
        subscription_id,
        max(effective_at) as effective_at

    from history
    group by customer_id, subscription_id

),

latest_states as (

    select
        history.customer_id,
        history.subscription_id,
        history.arr_local,
        history.currency,
        history.effective_date,
        row_number() over (
            partition by history.customer_id, history.subscription_id
            order by
                history.occurred_at desc nulls last,
                history.ingested_at desc nulls last,
                history.event_id desc
        ) as recency_rank

    from history
    inner join last_instants
        on
            history.customer_id = last_instants.customer_id
            and history.subscription_id = last_instants.subscription_id
            and history.effective_at = last_instants.effective_at

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
    where latest_states.recency_rank = 1

),

{% endif -%}
arr_at_as_of as (

    select
        sum(
            latest_states.arr_local
            * case
                when latest_states.currency = upper('{{ var("reporting_currency") }}') then 1
                else rates.rate_to_reporting
            end
        ) as arr

    from latest_states
    left join {{ 'state_rates' if by_state else 'rates_at_as_of' }} as rates
        on
            latest_states.currency = rates.currency
            and {{ same_state if by_state else 'true' }}
            and rates.recency_rank = 1
    where latest_states.recency_rank = 1 and latest_states.arr_local > 0

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

),

last_month as (

    select waterfall.ending_arr
    from waterfall
    inner join reported_span
        on waterfall.period_start = reported_span.last_month

)

select
    expected_span.first_month as expected_first_month,
    reported_span.first_month as reported_first_month,
    expected_span.last_month as expected_last_month,
    reported_span.last_month as reported_last_month,
    reported_span.months,
    arr_at_as_of.arr as arr_from_events,
    last_month.ending_arr as reported_ending_arr

from expected_span
cross join reported_span
cross join arr_at_as_of
cross join last_month
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
    or abs(coalesce(arr_at_as_of.arr, 0) - last_month.ending_arr) > 0.01
