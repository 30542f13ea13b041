-- One row per raw fx_rates row: parsed values, copy rank and rejection reason.

with

source as (

    select * from {{ source('raw', 'fx_rates') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

parsed as (

    select
        cast({{ parse_timestamp_utc('source.rate_date') }} as date) as rate_date,
        upper({{ clean_text('source.currency') }}) as currency,
        currencies.currency_code is not null as is_known_currency,
        {{ parse_decimal('source.rate_to_reporting', rate_type()) }} as rate_to_reporting,
        source.rate_date as raw_rate_date,
        source.rate_to_reporting as raw_rate_to_reporting,
        -- The key uses the parsed date, so two spellings of one date are one key.
        {{ dbt.concat([
            "upper(" ~ clean_text('source.currency') ~ ")", "'|'",
            "coalesce(cast(cast(" ~ parse_timestamp_utc('source.rate_date') ~ " as date) as "
            ~ dbt.type_string() ~ "), " ~ clean_text('source.rate_date') ~ ")"
        ]) }} as source_key,
        {{ raw_values_text(['source.rate_date', 'source.currency', 'source.rate_to_reporting']) }}
            as raw_values

    from source
    left join currencies
        on upper({{ clean_text('source.currency') }}) = currencies.currency_code

),

ranked as (

    select
        *,
        {{ duplicate_key_columns('source_key') }}

    from parsed

),

final as (

    select
        rate_date,
        currency,
        rate_to_reporting,
        source_key,
        raw_values,
        copy_rank > 1 as is_merged_duplicate,
        case
            when copy_rank > 1 then null
            when currency is null then 'missing_currency'
            when not is_known_currency then 'unknown_currency'
            when {{ clean_text('raw_rate_date') }} is null then 'missing_rate_date'
            when rate_date is null then 'unparseable_rate_date'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when {{ clean_text('raw_rate_to_reporting') }} is null then 'missing_rate_to_reporting'
            when rate_to_reporting is null then 'unparseable_rate_to_reporting'
            when rate_to_reporting <= 0 then 'non_positive_rate_to_reporting'
        end as rejection_reason

    from ranked

)

select * from final
