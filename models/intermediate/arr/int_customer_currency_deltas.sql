-- One row per customer × movement period × currency in which the customer's ARR held
-- in that currency changes, with the change in the currency's own units. A
-- subscription that changes currency gives two rows: its old ARR leaves the old
-- currency and its new ARR enters the new one.

with

events as (

    select * from {{ ref('int_subscription_events_dated') }}

),

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
