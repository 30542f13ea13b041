-- One row per accepted customer.

with

base as (

    select * from {{ ref('base_raw__customers') }}

),

final as (

    select
        customer_id,
        customer_name,
        email,
        coalesce(segment, 'unknown') as segment,
        country,
        created_at

    from base
    where not is_merged_duplicate and rejection_reason is null

)

select * from final
