-- One row per accepted event that takes effect on or before as_of_date, with the
-- movement period it falls in and its rank among its subscription's events of that
-- period (1 = the event whose state holds at the end of the period).

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

with

events as (

    select * from {{ ref('int_subscription_events_recognised') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

dated as (

    -- Only what the models after it read: at millions of events every column of a
    -- full-size table costs time.
    select
        events.event_id,
        events.customer_id,
        events.subscription_id,
        events.event_type,
        events.effective_at,
        events.effective_date,
        events.occurred_at,
        events.ingested_at,
        events.arr_local,
        events.currency,
        events.discount_pct,
        events.churn_reason,
        events.churn_reason_secondary,
        events.churn_reason_category,
        {{ movement_period('events.effective_date') }} as period_date

    from events
    cross join reporting_dates
    where events.effective_date <= reporting_dates.as_of_date

),

final as (

    select
        *,
        -- Ties on effective_at: the later occurred_at, then ingested_at, then event_id.
        row_number() over (
            partition by customer_id, subscription_id, period_date
            order by {{ event_order('desc') }}
        ) as rank_in_period

    from dated

)

select * from final
