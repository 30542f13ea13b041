-- One row per raw customers row: parsed values, copy rank and rejection reason.
{#- On DuckDB the table is built again, whole, only when a customers file was added,
    rewritten or removed, or the model's code or the segment aliases changed (macro
    should_full_refresh); otherwise the run keeps the table as it is. #}
{{ config(
    materialized=raw_file_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook=["{{ raw_file_save_versions('customers') }}"],
) }}
{%- set is_unchanged = raw_file_changes('customers').mode == 'none' %}
{%- set raw_columns = [
    'customer_id', 'customer_name', 'email', 'segment', 'country', 'created_at',
] %}
{%- set typed = raw_typed_columns('customers', 'utc') %}
{%- set copy_columns = [] %}
{%- for column in raw_columns %}
    {%- do copy_columns.append(raw_text('copies.' ~ column, typed)) %}
{%- endfor %}

with

repeated_customer_ids as (

    select {{ clean_text('customer_id') }} as customer_id

    from {{ source('raw', 'customers') }}
    group by {{ clean_text('customer_id') }}
    having count(*) > 1

),

-- Only the rows of a customer_id given more than once are ranked: every other row
-- (and every row without a customer_id) is its own first copy, and a rank over all
-- rows would sort the whole table. Copies are told apart by the whole row's text.
source as (

    select
        single_copies.*,
        1 as copy_rank,
        false as has_conflicting_copies

    from {{ source('raw', 'customers') }} as single_copies
    left join repeated_customer_ids
        on {{ clean_text('single_copies.customer_id') }} = repeated_customer_ids.customer_id
    where repeated_customer_ids.customer_id is null

    union all

    select
        copies.*,
        {{ duplicate_key_columns(
            'repeated_customer_ids.customer_id',
            raw_values_text(copy_columns, names=raw_columns),
        ) }}

    from {{ source('raw', 'customers') }} as copies
    inner join repeated_customer_ids
        on {{ clean_text('copies.customer_id') }} = repeated_customer_ids.customer_id

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
        {{ parse_raw_timestamp_utc('source.created_at', typed) }} as created_at,
        source.created_at as raw_created_at,
        source.copy_rank,
        source.has_conflicting_copies,
        -- Each raw value as text (empty for null), to name the columns in which
        -- conflicting copies of a customer differ.
        coalesce(source.customer_name, '') as raw_name_text,
        coalesce(source.email, '') as raw_email_text,
        coalesce(source.segment, '') as raw_segment_text,
        coalesce(source.country, '') as raw_country_text,
        coalesce({{ raw_text('source.created_at', typed) }}, '') as raw_created_at_text,
        source.customer_id as raw_customer_id

    from source
    left join segment_aliases
        on
            {{ normalise_key('source.segment') }}
            = {{ normalise_key('segment_aliases.alias') }}

),

checked as (

    select
        *,
        case
            when copy_rank > 1 then null
            when customer_id is null then 'missing_customer_id'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when segment_key is not null and segment is null then 'unknown_segment'
            when
                created_at is null
                and {{ clean_text(raw_text(
                    'raw_created_at', typed, name='created_at', value='created_at'
                )) }} is not null
                then 'unparseable_created_at'
        end as rejection_reason

    from parsed

),

-- The raw row's text is kept on rejected rows only; it holds personal data, so the
-- names and emails in it are withheld.
final as (

    select
        customer_id,
        customer_name,
        email,
        segment,
        country,
        created_at,
        case
            when rejection_reason is not null
                then {{ raw_values_text(
                    ['raw_customer_id', 'raw_name_text', 'raw_email_text', 'raw_segment_text',
                        'raw_country_text', 'raw_created_at_text'],
                    personal=['raw_name_text', 'raw_email_text'],
                    names=raw_columns,
                ) }}
        end as raw_values,
        raw_name_text,
        raw_email_text,
        raw_segment_text,
        raw_country_text,
        raw_created_at_text,
        copy_rank > 1 as is_merged_duplicate,
        rejection_reason

    from checked

)

select * from final
{%- if is_unchanged %}
    -- No customers file changed since the last run: nothing is read.
    where false
{%- endif %}
