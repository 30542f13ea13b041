-- One row per customer × movement period × currency in which the customer's ARR held
-- in that currency changes, with the change in the currency's own units. A
-- subscription that changes currency gives two rows: its old ARR leaves the old
-- currency and its new ARR enters the new one. delta_revaluation is 0.
-- Under fx_valuation `service_start` (macro `policy`) each state's ARR is converted at
-- the rate in force on the day its event took effect and held in the reporting
-- currency until the subscription's next event, so exchange rates never move ARR
-- between events. At an event that keeps the subscription paying, its previous ARR is
-- first revalued at that day's rate (delta_revaluation, reported as fx_impact), so a
-- renewal at the same price is no movement; a cancellation or pause takes away the
-- ARR as it was held.

with

events as (

    select * from {{ ref('int_subscription_events_dated') }}

),

{% set at_service_start = policy('fx_valuation') == 'service_start' -%}
{% if at_service_start -%}
rate_intervals as (

    select * from {{ ref('int_fx_rate_intervals') }}

),

{% endif -%}
period_states as (

    select
        events.customer_id,
        events.subscription_id,
        events.period_date,
        events.effective_date,
        events.arr_local,
        events.currency,
        {% if at_service_start -%}
            rate_intervals.rate_to_reporting
        {%- else -%}
            1
        {%- endif %} as rate_at_start

    from events
    {%- if at_service_start %}
    left join rate_intervals
        on {{ rate_in_force('rate_intervals', 'events.currency', 'events.effective_date') }}
    {%- endif %}
    where events.rank_in_period = 1

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

{% if at_service_start -%}
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

deltas as (

    select
        customer_id,
        period_date,
        upper('{{ var("reporting_currency") }}') as currency,
        case when arr_local = 0 then 0 else arr_local * rate_at_start end
        - case
            when coalesce(previous_arr_local, 0) = 0 then 0
            else previous_arr_local * previous_rate_at_start
        end as delta_local,
        case
            when arr_local > 0 and previous_arr_local > 0
                then previous_arr_local * (previous_rate_now - previous_rate_at_start)
            else 0
        end as delta_revaluation

    from with_rate_now

),

{% else -%}
deltas as (

    select
        customer_id,
        period_date,
        previous_currency as currency,
        -previous_arr_local as delta_local,
        0 as delta_revaluation

    from with_previous
    where previous_arr_local <> 0

    union all

    select
        customer_id,
        period_date,
        currency,
        arr_local as delta_local,
        0 as delta_revaluation

    from with_previous
    where arr_local <> 0

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
