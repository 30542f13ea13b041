-- One row per customer per movement period in which their ARR changes: new,
-- reactivation, expansion, contraction or churn. The classification (state before
-- size, the reactivation window) is made once in int_arr_movements_classified by the
-- macro classify_arr_movement; this mart publishes it.

{#- On Postgres the contract spells the column types otherwise than the query (varchar,
    text), so only a new column counts as a change of schema. -#}
{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

with

movements as (

    select * from {{ ref('int_arr_movements_classified') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

final as (

    select
        customer_id,
        movement_date,
        change_date,
        movement_type,
        arr_before,
        arr_after,
        arr_change,
        segment,
        is_returning_customer,
        churn_reason_category,
        churn_reason,
        churn_reason_secondary,
        days_since_churn,
        previous_churn_date,
        valuation_date

    from movements

)

select * from final
