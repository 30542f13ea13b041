-- One row per raw campaign_members row: parsed values, copy rank and rejection reason.

with

source as (

    select * from {{ source('raw', 'campaign_members') }}

),

campaigns as (

    select * from {{ ref('base_raw__campaigns') }}

),

parsed as (

    select
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ clean_text('source.customer_id') }} as customer_id,
        {{ normalise_key('source.member_group') }} as member_group,
        {{ parse_timestamp_utc('source.assigned_at') }} as assigned_at,
        {{ parse_timestamp_utc('source.touched_at') }} as touched_at,
        {{ parse_timestamp_utc('source.responded_at') }} as responded_at,
        source.assigned_at as raw_assigned_at,
        source.touched_at as raw_touched_at,
        source.responded_at as raw_responded_at,
        {{ dbt.concat([
            clean_text('source.campaign_id'), "'|'", clean_text('source.customer_id')
        ]) }}
            as source_key,
        {{ raw_values_text([
            'source.campaign_id', 'source.customer_id', 'source.member_group',
            'source.assigned_at', 'source.touched_at', 'source.responded_at',
        ]) }} as raw_values

    from source

),

ranked as (

    select
        parsed.*,
        campaigns.campaign_id is not null as is_known_campaign,
        {{ duplicate_key_columns('parsed.source_key', 'parsed.raw_values') }}

    from parsed
    left join campaigns
        on
            parsed.campaign_id = campaigns.campaign_id
            and campaigns.rejection_reason is null
            and not campaigns.is_merged_duplicate

),

final as (

    select
        campaign_id,
        customer_id,
        member_group,
        assigned_at,
        touched_at,
        responded_at,
        source_key,
        raw_values,
        copy_rank > 1 as is_merged_duplicate,
        case
            when copy_rank > 1 then null
            when campaign_id is null then 'missing_campaign_id'
            when customer_id is null then 'missing_customer_id'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when not is_known_campaign then 'unknown_campaign'
            when member_group is null then 'missing_member_group'
            when member_group not in ('treatment', 'control') then 'unknown_member_group'
            when {{ clean_text('raw_assigned_at') }} is null then 'missing_assigned_at'
            when assigned_at is null then 'unparseable_assigned_at'
            when {{ clean_text('raw_touched_at') }} is not null and touched_at is null
                then 'unparseable_touched_at'
            when {{ clean_text('raw_responded_at') }} is not null and responded_at is null
                then 'unparseable_responded_at'
            when member_group = 'control' and touched_at is not null then 'control_member_touched'
        end as rejection_reason

    from ranked

)

select * from final
