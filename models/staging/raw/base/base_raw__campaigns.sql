-- One row per raw campaigns row: parsed values, copy rank and rejection reason.

with

source as (

    select * from {{ source('raw', 'campaigns') }}

),

campaign_type_aliases as (

    select * from {{ ref('campaign_type_aliases') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

parsed as (

    select
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ clean_text('source.campaign_name') }} as campaign_name,
        {{ normalise_key('source.campaign_type') }} as campaign_type_key,
        campaign_type_aliases.campaign_type,
        {{ normalise_key('source.channel') }} as channel,
        {{ normalise_key('source.target_segment') }} as target_segment,
        {{ parse_timestamp_utc('source.started_at') }} as started_at,
        {{ parse_timestamp_utc('source.ended_at') }} as ended_at,
        {{ parse_decimal('source.cost') }} as cost_amount,
        upper({{ clean_text('source.currency') }}) as currency,
        currencies.currency_code is not null as is_known_currency,
        source.started_at as raw_started_at,
        source.ended_at as raw_ended_at,
        source.cost as raw_cost,
        {{ raw_values_text([
            'source.campaign_id', 'source.campaign_name', 'source.campaign_type',
            'source.channel', 'source.target_segment', 'source.started_at',
            'source.ended_at', 'source.cost', 'source.currency',
        ]) }} as raw_values

    from source
    left join campaign_type_aliases
        on
            {{ normalise_key('source.campaign_type') }}
            = {{ normalise_key('campaign_type_aliases.alias') }}
    left join currencies
        on upper({{ clean_text('source.currency') }}) = currencies.currency_code

),

ranked as (

    select
        *,
        {{ duplicate_key_columns('campaign_id') }}

    from parsed

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
        cost_amount as cost,
        currency,
        raw_values,
        copy_rank > 1 as is_merged_duplicate,
        case
            when copy_rank > 1 then null
            when campaign_id is null then 'missing_campaign_id'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when campaign_type_key is null then 'missing_campaign_type'
            when campaign_type is null then 'unknown_campaign_type'
            when {{ clean_text('raw_started_at') }} is null then 'missing_started_at'
            when started_at is null then 'unparseable_started_at'
            when {{ clean_text('raw_ended_at') }} is not null and ended_at is null
                then 'unparseable_ended_at'
            when ended_at < started_at then 'ended_before_started'
            when {{ clean_text('raw_cost') }} is null then 'missing_cost'
            when cost_amount is null then 'unparseable_cost'
            when cost_amount < 0 then 'negative_cost'
            when currency is null then 'missing_currency'
            when not is_known_currency then 'unknown_currency'
        end as rejection_reason

    from ranked

)

select * from final
