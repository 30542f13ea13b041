-- One row per account seen in the customers table or in the events, with its segment.
-- Accounts missing from (or rejected in) the customers table are kept with segment
-- `unknown`; those whose rows conflict are flagged with the columns that differ. No
-- personal data: names and emails stay in staging. Incremental by customer, like the
-- ARR chain: a customer's row changes only with their events or their customers rows,
-- each of which int_incremental_fingerprints watches, so a run recomputes the customers
-- in int_customers_to_rebuild.

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

with

customers as (

    select * from {{ ref('stg_raw__customers') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

conflicts as (

    select * from {{ ref('stg_raw__customer_conflicts') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

events as (

    select * from {{ ref('stg_raw__subscription_events') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

event_customers as (

    select
        customer_id,
        min(effective_date) as first_event_date

    from events
    group by customer_id

),

all_ids as (

    select customer_id from customers
    union
    select customer_id from event_customers
    union
    select customer_id from conflicts

),

final as (

    select
        all_ids.customer_id,
        coalesce(customers.segment, 'unknown') as segment,
        customers.country,
        customers.created_at,
        event_customers.first_event_date,
        customers.customer_id is null as is_missing_from_customers,
        conflicts.customer_id is not null as has_conflicting_customer_rows,
        conflicts.differing_columns as conflicting_columns

    from all_ids
    left join customers
        on all_ids.customer_id = customers.customer_id
    left join event_customers
        on all_ids.customer_id = event_customers.customer_id
    left join conflicts
        on all_ids.customer_id = conflicts.customer_id

)

select * from final
