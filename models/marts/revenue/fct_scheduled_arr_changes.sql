-- One row per accepted event that takes effect after as_of_date: a change already
-- booked but not yet history (for example a cancellation at the end of a paid period).
-- Never part of the movements or the waterfall.

with

scheduled as (

    select * from {{ ref('int_subscription_events_scheduled') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

history as (

    select * from {{ ref('int_subscription_events_dated') }}

),

scheduled_subscriptions as (

    select distinct
        customer_id,
        subscription_id

    from scheduled

),

-- Each subscription's state at as_of_date: what a scheduled change will change. Only
-- the history of subscriptions with a scheduled change is sorted.
current_states as (

    select
        history.customer_id,
        history.subscription_id,
        history.arr_local,
        history.currency,
        row_number() over (
            partition by history.customer_id, history.subscription_id
            order by {{ event_order('desc', 'history.') }}
        ) as recency_rank

    from history
    inner join scheduled_subscriptions
        on
            history.customer_id = scheduled_subscriptions.customer_id
            and history.subscription_id = scheduled_subscriptions.subscription_id

),

final as (

    select
        cast(scheduled.event_id as {{ dbt.type_string() }}) as event_id,
        cast(scheduled.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(scheduled.subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(scheduled.event_type as {{ dbt.type_string() }}) as event_type,
        cast(scheduled.effective_date as date) as effective_date,
        cast(scheduled.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(coalesce(customers.segment, 'unknown') as {{ dbt.type_string() }}) as segment,
        scheduled.event_type in {{ ending_event_types() }}
            as is_scheduled_end,
        -- Valued at the latest rate known at as_of_date.
        {{ value_at_rate(
            'coalesce(current_states.arr_local, 0)', 'current_rates.rate_to_reporting'
        ) }} as current_arr,
        {{ value_at_rate('scheduled.arr_local', 'fx_rates.rate_to_reporting') }}
            as scheduled_arr,
        cast(scheduled.churn_reason_category as {{ dbt.type_string() }}) as churn_reason_category

    from scheduled
    left join fx_rates
        on
            coalesce(scheduled.currency, upper('{{ var("reporting_currency") }}'))
            = fx_rates.currency
            and scheduled.as_of_date = fx_rates.rate_date
    left join current_states
        on
            scheduled.customer_id = current_states.customer_id
            and scheduled.subscription_id = current_states.subscription_id
            and current_states.recency_rank = 1
    left join fx_rates as current_rates
        on
            coalesce(
                current_states.currency, scheduled.currency,
                upper('{{ var("reporting_currency") }}')
            ) = current_rates.currency
            and scheduled.as_of_date = current_rates.rate_date
    left join customers
        on scheduled.customer_id = customers.customer_id

)

select * from final
