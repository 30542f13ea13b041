-- One row per accepted campaign membership (campaign × customer).

with

base as (

    select * from {{ ref('base_raw__campaign_members') }}

),

final as (

    select
        campaign_id,
        customer_id,
        member_group,
        assigned_at,
        touched_at,
        responded_at

    from base
    where not is_merged_duplicate and rejection_reason is null

)

select * from final
