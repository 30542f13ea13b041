-- One row per accepted win-back campaign.
{{ config(post_hook="{{ assert_fx_rates_in_force(
    this, 'campaigns', ['campaign_id'], 'started_at', 'started'
) }}") }}
-- depends_on: {{ ref('stg_raw__fx_rates') }}

with

base as (

    select * from {{ ref('base_raw__campaigns') }}

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        channel,
        target_segment,
        started_at,
        ended_at,
        cost,
        currency

    from base
    where not is_merged_duplicate and rejection_reason is null

)

select * from final
