-- One row per customer per movement period in which their ARR changes: new,
-- reactivation, expansion, contraction or churn. The classification (state before
-- size, the reactivation window) is made once in int_arr_movements_classified by the
-- macro classify_arr_movement; this mart publishes it (without churn_event_type).

{#- A view: the classified table holds these rows already, in every run incremental by
    customer, so a copy would only write 10M rows again at 10M events. -#}
{{ config(materialized='view') }}

with

movements as (

    select * from {{ ref('int_arr_movements_classified') }}

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
