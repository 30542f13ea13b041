-- One row per account seen in the customers table or in the events, with its segment.
-- Accounts missing from (or rejected in) the customers table are kept with segment
-- `unknown`. No personal data: names and emails stay in staging.

with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

events as (

    select * from {{ ref('stg_raw__subscription_events') }}

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

),

final as (

    select
        all_ids.customer_id,
        coalesce(customers.segment, 'unknown') as segment,
        customers.country,
        customers.created_at,
        event_customers.first_event_date,
        customers.customer_id is null as is_missing_from_customers

    from all_ids
    left join customers
        on all_ids.customer_id = customers.customer_id
    left join event_customers
        on all_ids.customer_id = event_customers.customer_id

)

select * from final
