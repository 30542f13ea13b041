-- One row per customer × movement period × currency in which the customer's ARR held
-- in that currency changes, with the change in the currency's own units. A
-- subscription that changes currency gives two rows: its old ARR leaves the old
-- currency and its new ARR enters the new one. delta_revaluation is 0.
-- Each event adds its subscription's new ARR to its currency and takes the ARR the
-- subscription had just before it (int_subscription_events_dated gives both) out of
-- that ARR's currency. Summed over a period, the states between its first and last
-- event cancel, so what remains is the period's closing state less the state before
-- the period, without a second sort of the events.
-- Under fx_valuation `service_start` (macro `policy`) each state's ARR is converted at
-- the rate in force on the day its event took effect and held in the reporting
-- currency until the subscription's next event, so exchange rates never move ARR
-- between events. At the period's last event, if it keeps the subscription paying,
-- the ARR held before the period is first revalued at that day's rate
-- (delta_revaluation, reported as fx_impact), so a renewal at the same price is no
-- movement; a cancellation or pause takes away the ARR as it was held. The revaluation
-- belongs to the closing states, so there each period's closing state is compared with
-- the one before it.

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

{# The two valuations build their deltas in the two branches below; each branch's CTEs
   sit at the left margin like the others, which the next line tells sqlfluff. #}
-- sqlfluff:indentation:template_blocks_indent:False
{%- set at_service_start = policy('fx_valuation') == 'service_start' %}
{%- set reporting = "upper('" ~ var('reporting_currency') ~ "')" %}

with

events as (

    select * from {{ ref('int_subscription_events_dated') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

{% if at_service_start -%}
rate_intervals as (

    select * from {{ ref('int_fx_rate_intervals') }}

),

-- Each subscription's state at the end of each period with events, valued at the rate
-- in force on the day its event took effect.
period_states as (

    select
        events.customer_id,
        events.subscription_id,
        events.period_date,
        events.effective_date,
        events.arr_local,
        events.currency,
        rate_intervals.rate_to_reporting as rate_at_start

    from events
    left join rate_intervals
        on {{ rate_in_force('rate_intervals', 'events.currency', 'events.effective_date') }}
    where events.is_period_close

),

with_previous as (

    select
        *,
        lag(arr_local) over (
            partition by customer_id, subscription_id order by period_date
        ) as previous_arr_local,
        lag(currency) over (
            partition by customer_id, subscription_id order by period_date
        ) as previous_currency,
        lag(rate_at_start) over (
            partition by customer_id, subscription_id order by period_date
        ) as previous_rate_at_start

    from period_states

),

-- The previous ARR's currency at this state's rate.
with_rate_now as (

    select
        with_previous.*,
        rate_intervals.rate_to_reporting as previous_rate_now

    from with_previous
    left join rate_intervals
        on {{ rate_in_force(
            'rate_intervals', 'with_previous.previous_currency', 'with_previous.effective_date'
        ) }}

),

-- Both states in the reporting currency, each at its own day's rate, the previous
-- one revalued first when the subscription goes on paying.
deltas as (

    select
        customer_id,
        period_date,
        {{ reporting }} as currency,
        case when arr_local <> 0 then arr_local * rate_at_start else 0 end
        - case
            when previous_arr_local <> 0 then previous_arr_local * previous_rate_at_start
            else 0
        end as delta_local,
        case
            when arr_local <> 0 and previous_arr_local > 0
                then previous_arr_local * (previous_rate_now - previous_rate_at_start)
            else 0
        end as delta_revaluation

    from with_rate_now
    where arr_local <> 0 or previous_arr_local <> 0

),

{% else -%}
-- Whether the ARR before the event was in the event's currency (nearly always).
event_states as (

    select
        customer_id,
        period_date,
        currency,
        arr_local,
        previous_currency,
        previous_arr_local,
        coalesce(previous_currency = currency, false) as is_same_currency

    from events

),

-- Side 1: the event's ARR enters its currency, less the ARR before it where that was
-- in the same currency, so one row carries the difference; side 2 takes the ARR
-- before it out of its own currency, only when the currency changed. Both sides come
-- from one read of the events: DuckDB would hold a CTE read twice in full.
sides as (

    select 1 as side
    union all
    select 2 as side

),

deltas as (

    select
        event_states.customer_id,
        event_states.period_date,
        case
            when sides.side = 1 then event_states.currency
            else event_states.previous_currency
        end as currency,
        case
            when sides.side = 2 then -event_states.previous_arr_local
            when event_states.is_same_currency
                then event_states.arr_local - event_states.previous_arr_local
            else event_states.arr_local
        end as delta_local,
        cast(0 as {{ money_type() }}) as delta_revaluation

    from event_states
    cross join sides
    where
        (
            sides.side = 1
            and (
                event_states.arr_local <> 0
                or (event_states.is_same_currency and event_states.previous_arr_local <> 0)
            )
        )
        or (
            sides.side = 2
            and not event_states.is_same_currency
            and event_states.previous_arr_local <> 0
        )

),

{% endif -%}
final as (

    select
        customer_id,
        period_date,
        currency,
        cast(round(sum(delta_local), 6) as {{ money_type() }}) as delta_local,
        cast(round(sum(delta_revaluation), 6) as {{ money_type() }}) as delta_revaluation

    from deltas
    group by customer_id, period_date, currency
    having round(sum(delta_local), 6) <> 0 or round(sum(delta_revaluation), 6) <> 0

)

select * from final
