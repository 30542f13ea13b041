-- One row per accepted account-day of product activity.

with

base as (

    select * from {{ ref('base_raw__product_usage') }}

),

final as (

    select
        customer_id,
        activity_date,
        active_users,
        events_count

    from base
    where not is_merged_duplicate and rejection_reason is null

)

select * from final
