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

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

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

{% endif -%}
-- Each subscription's state at the end of each period with events.
closing_events as (

    select * from events
    where is_period_close

),

period_states as (

    select
        closing_events.customer_id,
        closing_events.subscription_id,
        closing_events.period_date,
        closing_events.effective_date,
        closing_events.arr_local,
        closing_events.currency,
        {{ 'rate_intervals.rate_to_reporting' if at_service_start else '1' }} as rate_at_start

    from closing_events
    {%- if at_service_start %}
    left join rate_intervals
        on {{ rate_in_force(
            'rate_intervals', 'closing_events.currency', 'closing_events.effective_date'
        ) }}
    {%- endif %}

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

-- The previous ARR's currency at this state's rate (1 under period_end).
with_rate_now as (

    select
        with_previous.*,
        {{ 'rate_intervals.rate_to_reporting' if at_service_start else '1' }} as previous_rate_now

    from with_previous
    {%- if at_service_start %}
    left join rate_intervals
        on {{ rate_in_force(
            'rate_intervals', 'with_previous.previous_currency', 'with_previous.effective_date'
        ) }}
    {%- endif %}

),

-- The previous state's ARR leaves its currency, the new state's enters its own (under
-- service_start both in the reporting currency, valued at their own day's rates, and
-- the previous ARR revalued first when the subscription goes on paying). Where both
-- are in one currency (nearly always) one row carries the difference; a second row
-- (side 2) takes the previous ARR out of its currency only when the currency changed.
-- Both sides come from one read of the states: DuckDB would hold a CTE read twice in
-- full.
sides as (

    select 1 as side
    union all
    select 2 as side

),

with_side as (

    select
        with_rate_now.*,
        sides.side,
        {{ 'true' if at_service_start else
            'coalesce(with_rate_now.previous_currency = with_rate_now.currency, false)' }}
            as is_same_currency

    from with_rate_now
    cross join sides

),

deltas as (

    select
        customer_id,
        period_date,
        case
            when side = 2 then {{ reporting if at_service_start else 'previous_currency' }}
            else {{ reporting if at_service_start else 'currency' }}
        end as currency,
        case
            when side = 2 then -previous_arr_local * previous_rate_at_start
            else
                case when arr_local <> 0 then arr_local * rate_at_start else 0 end
                - case
                    when is_same_currency and previous_arr_local <> 0
                        then previous_arr_local * previous_rate_at_start
                    else 0
                end
        end as delta_local,
        case
            when side = 1 and arr_local <> 0 and previous_arr_local > 0
                then previous_arr_local * (previous_rate_now - previous_rate_at_start)
            else 0
        end as delta_revaluation

    from with_side
    where
        (side = 1 and (arr_local <> 0 or (is_same_currency and previous_arr_local <> 0)))
        or (side = 2 and not is_same_currency and previous_arr_local <> 0)

),

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
