-- One row per raw customers row: parsed values, copy rank and rejection reason.

with

source as (

    select * from {{ source('raw', 'customers') }}

),

segment_aliases as (

    select * from {{ ref('segment_aliases') }}

),

parsed as (

    select
        {{ clean_text('source.customer_id') }} as customer_id,
        {{ clean_text('source.customer_name') }} as customer_name,
        {{ clean_text('source.email') }} as email,
        {{ normalise_key('source.segment') }} as segment_key,
        segment_aliases.segment,
        upper({{ clean_text('source.country') }}) as country,
        {{ parse_timestamp_utc('source.created_at') }} as created_at,
        source.created_at as raw_created_at,
        -- Each raw value as text (empty for null), to name the columns in which
        -- conflicting copies of a customer differ.
        coalesce(source.customer_name, '') as raw_name_text,
        coalesce(source.email, '') as raw_email_text,
        coalesce(source.segment, '') as raw_segment_text,
        coalesce(source.country, '') as raw_country_text,
        coalesce(source.created_at, '') as raw_created_at_text,
        -- The whole row, to tell identical copies from conflicting ones; it holds
        -- personal data, so only raw_values (with those values withheld) leaves staging.
        {{ raw_values_text([
            'source.customer_id', 'source.customer_name', 'source.email',
            'source.segment', 'source.country', 'source.created_at',
        ]) }} as row_text,
        {{ raw_values_text([
            'source.customer_id', 'source.customer_name', 'source.email',
            'source.segment', 'source.country', 'source.created_at',
        ], personal=['source.customer_name', 'source.email']) }} as raw_values

    from source
    left join segment_aliases
        on
            {{ normalise_key('source.segment') }}
            = {{ normalise_key('segment_aliases.alias') }}

),

ranked as (

    select
        *,
        {{ duplicate_key_columns('customer_id', 'row_text') }}

    from parsed

),

final as (

    select
        customer_id,
        customer_name,
        email,
        segment,
        country,
        created_at,
        raw_values,
        raw_name_text,
        raw_email_text,
        raw_segment_text,
        raw_country_text,
        raw_created_at_text,
        copy_rank > 1 as is_merged_duplicate,
        case
            when copy_rank > 1 then null
            when customer_id is null then 'missing_customer_id'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when segment_key is not null and segment is null then 'unknown_segment'
            when {{ clean_text('raw_created_at') }} is not null and created_at is null
                then 'unparseable_created_at'
        end as rejection_reason

    from ranked

)

select * from final
