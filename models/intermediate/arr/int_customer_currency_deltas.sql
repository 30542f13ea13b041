-- One row per customer × movement period × currency in which the customer's ARR held
-- in that currency changes, with the change in the currency's own units. A
-- subscription that changes currency gives two rows: its old ARR leaves the old
-- currency and its new ARR enters the new one.
-- Under fx_valuation `service_start` (macro `policy`) each state's ARR is converted at
-- the rate in force on the day its event took effect and held in the reporting
-- currency from then on, so exchange rates never move ARR between events.

with

events as (

    select * from {{ ref('int_subscription_events_dated') }}

),

{% if policy('fx_valuation') == 'service_start' -%}
rate_intervals as (

    select * from {{ ref('int_fx_rate_intervals') }}

),

period_states as (

    select
        events.customer_id,
        events.subscription_id,
        events.period_date,
        case
            when events.arr_local = 0 then 0
            else events.arr_local * rate_intervals.rate_to_reporting
        end as arr_local,
        upper('{{ var("reporting_currency") }}') as currency

    from events
    left join rate_intervals
        on {{ rate_in_force('rate_intervals', 'events.currency', 'events.effective_date') }}
    where events.rank_in_period = 1

),
{%- else -%}
period_states as (

    select
        customer_id,
        subscription_id,
        period_date,
        arr_local,
        currency

    from events
    where rank_in_period = 1

),
{%- endif %}

with_previous as (

    select
        *,
        lag(arr_local) over (
            partition by customer_id, subscription_id order by period_date
        ) as previous_arr_local,
        lag(currency) over (
            partition by customer_id, subscription_id order by period_date
        ) as previous_currency

    from period_states

),

deltas as (

    select
        customer_id,
        period_date,
        previous_currency as currency,
        -previous_arr_local as delta_local

    from with_previous
    where previous_arr_local <> 0

    union all

    select
        customer_id,
        period_date,
        currency,
        arr_local as delta_local

    from with_previous
    where arr_local <> 0

),

final as (

    select
        customer_id,
        period_date,
        currency,
        cast(sum(delta_local) as {{ money_type() }}) as delta_local

    from deltas
    group by customer_id, period_date, currency
    having sum(delta_local) <> 0

)

select * from final
