-- One row per accepted event that takes effect on or before as_of_date, with the
-- movement period it falls in, the ARR its subscription had just before it and that
-- ARR's currency, and whether it is the last of its subscription's events in that
-- period (the one whose state holds at the end of the period). All come from one pass
-- over each subscription's events in event order (macro event_order).

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}
-- depends_on: {{ ref('int_reporting_dates') }}

with

events as (

    select * from {{ ref('int_subscription_events_recognised') }}

),

-- The as_of_date; in an incremental run, with the customers to rebuild, whose rows carry
-- it. Joined with the one-row int_reporting_dates beside a filter on those customers,
-- the events would be hashed whole (DuckDB's planner loses their size through the cross
-- join), so there the one join both picks the customers and bounds their events.
reporting_dates as (

    {% if is_incremental() -%}
        select * from {{ ref('int_customers_to_rebuild') }}
    {%- else -%}
        select * from {{ ref('int_reporting_dates') }}
    {%- endif %}

),

dated as (

    -- Only what the models after it read: at millions of events every column of a
    -- full-size table costs time. The churn reasons and discounts, read for a few
    -- events, are found where they are needed (int_arr_movements_classified,
    -- int_churn_episodes).
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
        {{ movement_period('events.effective_date') }} as period_date

    from events
    {% if is_incremental() -%}
        inner join reporting_dates
            on
                events.customer_id = reporting_dates.customer_id
                and {{ is_event_in_history() }}
    {%- else -%}
        cross join reporting_dates
        where {{ is_event_in_history() }}
    {%- endif %}

),

-- Event order starts with effective_at, so along it the periods never go back: an
-- event is the last of its period when the next one (if any) falls in a later period.
-- The state before each event (its ARR and currency) comes from the same sort.
final as (

    select
        *,
        lag(arr_local) over (
            partition by customer_id, subscription_id order by {{ event_order('asc') }}
        ) as previous_arr_local,
        lag(currency) over (
            partition by customer_id, subscription_id order by {{ event_order('asc') }}
        ) as previous_currency,
        coalesce(
            lead(period_date) over (
                partition by customer_id, subscription_id order by {{ event_order('asc') }}
            ) <> period_date,
            true
        ) as is_period_close

    from dated

)

select * from final
