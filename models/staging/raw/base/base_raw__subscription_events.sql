-- One row per raw subscription event row: parsed values, the copy rank among rows
-- sharing its event_id, and the reason it is rejected (null when accepted). The raw
-- values are kept as text on rejected rows only.
{%- set raw_columns = [
    'event_id', 'customer_id', 'subscription_id', 'event_type', 'effective_at',
    'occurred_at', 'plan_id', 'billing_period', 'amount', 'currency', 'discount_pct',
    'churn_reason', 'churn_reason_secondary', 'ingested_at',
] %}
{%- set typed = raw_typed_columns('subscription_events', 'utc') %}
{%- set typed_numbers = raw_typed_columns('subscription_events', 'number') %}
{#- Each raw value as text (macro raw_text: a typed column's text is its twin's,
    written where it is needed, not on every row). #}
{%- set copy_columns = [] %}
{%- set text_of = {} %}
{%- set raw_text_columns = [] %}
{%- for column in raw_columns %}
    {%- do copy_columns.append(raw_text('copies.' ~ column, typed, typed_numbers)) %}
    {%- do text_of.update({column: raw_text(
        'raw_text_' ~ column, typed, typed_numbers, name=column, value=column)}) %}
    {%- do raw_text_columns.append(text_of[column]) %}
{%- endfor %}
{#- On DuckDB only the files not read before, and every copy of the event_ids they
    hold (macro raw_file_rows). #}
{{ config(
    materialized=raw_file_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=[
        "{{ raw_file_find_keys('subscription_events') }}",
        "{{ raw_file_find_key_rows('subscription_events') }}",
        "{{ raw_file_forget_rows('subscription_events') }}",
    ],
    post_hook=[
        "{{ raw_file_drop_keys() }}",
        "{{ raw_file_drop_keys(rows=true) }}",
        "{{ raw_file_save_versions('subscription_events') }}",
    ],
) }}
{%- set raw_rows = raw_file_rows('subscription_events') %}
{%- set copies_by_number = raw_file_copy_rows_cte(
    'subscription_events', raw_rows, 'repeated_event_ids', 'key_hash') %}

with

{{ raw_file_rows_cte('subscription_events') }}

-- event_ids that may be given more than once, told by their hash (macro raw_key_hash):
-- the rows of a colliding event_id are only ranked with the copies, by the event_id.
repeated_event_ids as (

    {{ repeated_key_hashes('subscription_events', raw_rows) }}

),

{{ copies_by_number }}
-- Only the rows of an event_id given more than once are ranked: every other row is
-- its own first copy, and a rank over all rows would sort the whole table.
source as (

    select
        single_copies.*,
        1 as copy_rank

    from {{ 'single_copy_rows' if copies_by_number else raw_rows }} as single_copies
    {%- if not copies_by_number %}
    left join repeated_event_ids
        on
            {{ raw_key_hash('subscription_events', 'single_copies') }}
            = repeated_event_ids.key_hash
    where repeated_event_ids.key_hash is null
    {%- endif %}

    union all

    -- Copies of one event_id: the latest ingested copy survives; identical copies
    -- tie and the raw text decides, so the pick is deterministic. Rows without an
    -- event_id may share a key hash (macro raw_key_hash) and so come here: each is its
    -- own first copy.
    select
        copies.*,
        case
            when {{ raw_natural_key('subscription_events', 'copies') }} is null then 1
            else row_number() over (
                    partition by {{ raw_natural_key('subscription_events', 'copies') }}
                    order by
                        {{ parse_raw_timestamp_utc('copies.ingested_at', typed) }} desc nulls last,
                        {{ raw_values_text(copy_columns, names=raw_columns) }} desc
                        {{- raw_file_order('copies') }}
                )
        end as copy_rank

    from {{ 'copy_rows' if copies_by_number else raw_rows }} as copies
    inner join repeated_event_ids
        on {{ raw_key_hash('subscription_events', 'copies') }} = repeated_event_ids.key_hash

),

event_type_aliases as (

    select * from {{ ref('event_type_aliases') }}

),

billing_period_aliases as (

    select * from {{ ref('billing_period_aliases') }}

),

currencies as (

    select * from {{ ref('currencies') }}

),

parsed as (

    select
        {{ raw_natural_key('subscription_events', 'source') }} as event_id,
        {{ clean_text('source.customer_id') }} as customer_id,
        {{ clean_text('source.subscription_id') }} as subscription_id,
        {{ normalise_key('source.event_type') }} as event_type_key,
        event_type_aliases.event_type,
        {{ parse_raw_timestamp_utc('source.effective_at', typed) }} as effective_at,
        {{ parse_raw_timestamp_utc('source.occurred_at', typed) }} as occurred_at,
        {{ parse_raw_timestamp_utc('source.ingested_at', typed) }} as ingested_at,
        {{ clean_text('source.plan_id') }} as plan_id,
        {{ normalise_key('source.billing_period') }} as billing_period_key,
        billing_period_aliases.billing_period,
        billing_period_aliases.periods_per_year,
        {{ parse_raw_number('source.amount', typed_numbers) }} as amount,
        upper({{ clean_text('source.currency') }}) as currency,
        currencies.currency_code is not null as is_known_currency,
        {{ parse_raw_number('source.discount_pct', typed_numbers) }} as discount_pct,
        {{ clean_text('source.churn_reason') }} as churn_reason,
        {{ clean_text('source.churn_reason_secondary') }} as churn_reason_secondary,
        {%- for column in raw_columns %}
            source.{{ column }} as raw_text_{{ column }},
        {%- endfor %}
        {{ raw_file_columns('subscription_events', 'source') }},
        source.copy_rank

    from source
    left join event_type_aliases
        on
            {{ normalise_key('source.event_type') }}
            = {{ normalise_key('event_type_aliases.alias') }}
    left join billing_period_aliases
        on
            {{ normalise_key('source.billing_period') }}
            = {{ normalise_key('billing_period_aliases.alias') }}
    left join currencies
        on upper({{ clean_text('source.currency') }}) = currencies.currency_code

),

checked as (

    select
        *,
        event_type in {{ ending_event_types() }} as is_ending_event,
        case
            when event_id is null then 'missing_event_id'
            when customer_id is null then 'missing_customer_id'
            when subscription_id is null then 'missing_subscription_id'
            when event_type_key is null then 'missing_event_type'
            when event_type is null then 'unknown_event_type'
            when effective_at is null and {{ clean_text(text_of['effective_at']) }} is null
                then 'missing_effective_at'
            when effective_at is null then 'unparseable_effective_at'
            when occurred_at is null and {{ clean_text(text_of['occurred_at']) }} is not null
                then 'unparseable_occurred_at'
            when ingested_at is null and {{ clean_text(text_of['ingested_at']) }} is not null
                then 'unparseable_ingested_at'
            when not {{ is_plausible_instant('effective_at') }} then 'implausible_effective_at'
            when not {{ is_plausible_instant('occurred_at') }} then 'implausible_occurred_at'
            when not {{ is_plausible_instant('ingested_at') }} then 'implausible_ingested_at'
            when event_type in {{ ending_event_types() }} then null
            when billing_period_key is null then 'missing_billing_period'
            when billing_period is null then 'unknown_billing_period'
            when amount is null and {{ clean_text(text_of['amount']) }} is null
                then 'missing_amount'
            when amount is null then 'unparseable_amount'
            when amount < 0 then 'negative_amount'
            when currency is null then 'missing_currency'
            when not is_known_currency then 'unknown_currency'
            when discount_pct is null and {{ clean_text(text_of['discount_pct']) }} is not null
                then 'unparseable_discount_pct'
            when discount_pct < 0 or discount_pct > 100 then 'discount_pct_out_of_range'
        end as rejection_reason

    from parsed

),

final as (

    select
        event_id,
        customer_id,
        subscription_id,
        event_type,
        effective_at,
        occurred_at,
        ingested_at,
        plan_id,
        case when not is_ending_event then billing_period end as billing_period,
        case when not is_ending_event then periods_per_year end as periods_per_year,
        case when not is_ending_event then amount end as amount,
        case when not is_ending_event then currency end as currency,
        discount_pct,
        churn_reason,
        churn_reason_secondary,
        case
            when copy_rank = 1 and rejection_reason is not null
                then {{ raw_values_text(raw_text_columns, names=raw_columns) }}
        end as raw_values,
        copy_rank > 1 as is_merged_duplicate,
        case when copy_rank = 1 then rejection_reason end as rejection_reason,
        raw_file,
        raw_file_version,
        raw_row_number

    from checked

)

select * from final
