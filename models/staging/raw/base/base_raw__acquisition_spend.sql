-- One row per raw acquisition_spend row: parsed values, copy rank and rejection reason.

with

source as (

    select * from {{ source('raw', 'acquisition_spend') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

parsed as (

    select
        cast({{ parse_timestamp_utc('source.month') }} as date) as spend_month,
        {{ normalise_key('source.channel') }} as channel,
        {{ parse_decimal('source.spend') }} as spend,
        upper({{ clean_text('source.currency') }}) as currency,
        currencies.currency_code is not null as is_known_currency,
        source.month as raw_month,
        source.spend as raw_spend,
        -- The key uses the parsed month, so two spellings of one month are one key.
        {{ dbt.concat([
            "coalesce(cast(cast(" ~ parse_timestamp_utc('source.month') ~ " as date) as "
            ~ dbt.type_string() ~ "), " ~ clean_text('source.month') ~ ")",
            "'|'", "coalesce(" ~ normalise_key('source.channel') ~ ", '')"
        ]) }} as source_key,
        {{ raw_values_text(['source.month', 'source.channel', 'source.spend', 'source.currency']) }}
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
        spend_month,
        channel,
        spend,
        currency,
        source_key,
        raw_values,
        copy_rank > 1 as is_merged_duplicate,
        case
            when copy_rank > 1 then null
            when {{ clean_text('raw_month') }} is null then 'missing_month'
            when spend_month is null then 'unparseable_month'
            when spend_month <> {{ dbt.date_trunc('month', 'spend_month') }}
                then 'month_not_first_day'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when {{ clean_text('raw_spend') }} is null then 'missing_spend'
            when spend is null then 'unparseable_spend'
            when spend < 0 then 'negative_spend'
            when currency is null then 'missing_currency'
            when not is_known_currency then 'unknown_currency'
        end as rejection_reason

    from ranked

)

select * from final
