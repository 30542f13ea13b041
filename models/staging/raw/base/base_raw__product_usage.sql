-- One row per raw product_usage row: parsed values, copy rank and rejection reason.

with

source as (

    select * from {{ source('raw', 'product_usage') }}

),

parsed as (

    select
        {{ clean_text('customer_id') }} as customer_id,
        cast({{ parse_timestamp_utc('activity_date') }} as date) as activity_date,
        {{ parse_integer('active_users') }} as active_users,
        {{ parse_integer('events_count') }} as events_count,
        activity_date as raw_activity_date,
        active_users as raw_active_users,
        events_count as raw_events_count,
        -- The key uses the parsed date, so two spellings of one day are one key.
        {{ dbt.concat([
            clean_text('customer_id'), "'|'",
            "coalesce(cast(cast(" ~ parse_timestamp_utc('activity_date') ~ " as date) as "
            ~ dbt.type_string() ~ "), " ~ clean_text('activity_date') ~ ")"
        ]) }} as source_key,
        {{ raw_values_text(['customer_id', 'activity_date', 'active_users', 'events_count']) }}
            as raw_values

    from source

),

ranked as (

    select
        *,
        {{ duplicate_key_columns('source_key') }}

    from parsed

),

final as (

    select
        customer_id,
        activity_date,
        active_users,
        events_count,
        source_key,
        raw_values,
        copy_rank > 1 as is_merged_duplicate,
        case
            when copy_rank > 1 then null
            when customer_id is null then 'missing_customer_id'
            when {{ clean_text('raw_activity_date') }} is null then 'missing_activity_date'
            when activity_date is null then 'unparseable_activity_date'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when {{ clean_text('raw_active_users') }} is not null and active_users is null
                then 'unparseable_active_users'
            when active_users < 0 then 'negative_active_users'
            when {{ clean_text('raw_events_count') }} is not null and events_count is null
                then 'unparseable_events_count'
            when events_count < 0 then 'negative_events_count'
        end as rejection_reason

    from ranked

)

select * from final
