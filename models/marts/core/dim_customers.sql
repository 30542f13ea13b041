-- One row per account seen in the customers table or in the events: its segment,
-- country and first event. Accounts missing from (or rejected in) the customers table
-- are kept with segment `unknown`. No personal data: names and emails stay in staging.

{#- A view: int_customers_segmented holds these rows already, in every run incremental
    by customer, so a copy would only write a row per customer again on every run. -#}
{{ config(materialized='view') }}

with

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

final as (

    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(country as {{ dbt.type_string() }}) as country,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(first_event_date as date) as first_event_date,
        is_missing_from_customers,
        has_conflicting_customer_rows,
        cast(conflicting_columns as {{ dbt.type_string() }}) as conflicting_columns

    from customers

)

select * from final
