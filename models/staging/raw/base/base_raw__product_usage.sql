-- One row per raw product_usage row: parsed values, copy rank and rejection reason.
-- The raw values and the key are kept as text on rejected rows only; on DuckDB every
-- row keeps a hash of its key, by which a daily run finds the rows of the keys it reads
-- again.
{%- set raw_columns = ['customer_id', 'activity_date', 'active_users', 'events_count'] %}
{%- set typed = raw_typed_columns('product_usage', 'utc') %}
{%- set typed_numbers = raw_typed_columns('product_usage', 'number') %}
{#- The natural key, the customer and the parsed day (so two spellings of one day are
    one key), of the raw rows under each name they are read by. #}
{%- set source_key = {} %}
{%- for relation in ['copies', 'source'] %}
    {%- do source_key.update({relation: raw_natural_key('product_usage', relation)}) %}
{%- endfor %}
{#- On DuckDB only the files not read before, and every copy of the keys they hold
    (macro raw_file_rows). #}
{{ config(
    materialized=raw_file_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=[
        "{{ raw_file_find_keys('product_usage') }}",
        "{{ raw_file_find_key_rows('product_usage') }}",
        "{{ raw_file_forget_rows('product_usage') }}",
    ],
    post_hook=[
        "{{ raw_file_drop_keys() }}",
        "{{ raw_file_drop_keys(rows=true) }}",
        "{{ raw_file_save_versions('product_usage') }}",
    ],
) }}
{%- set raw_rows = raw_file_rows('product_usage') %}
{%- set copies_by_number = raw_file_copy_rows_cte(
    'product_usage', raw_rows, 'repeated_keys', 'key_hash') %}
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

with

{{ raw_file_rows_cte('product_usage') }}

-- Keys that may be given more than once, told by their hash (macro raw_key_hash): the
-- rows of a colliding key are only ranked with the copies, by the key itself.
repeated_keys as (

    {{ repeated_key_hashes('product_usage', raw_rows) }}

),

{{ copies_by_number }}
-- Only the rows of a key given more than once are ranked: every other row (and every
-- row without a key) is its own first copy, and a rank over all rows would sort the
-- whole table.
source as (

    select
        single_copies.*,
        1 as copy_rank,
        false as has_conflicting_copies

    from {{ 'single_copy_rows' if copies_by_number else raw_rows }} as single_copies
    {%- if not copies_by_number %}
    left join repeated_keys
        on {{ raw_key_hash('product_usage', 'single_copies') }} = repeated_keys.key_hash
    where repeated_keys.key_hash is null
    {%- endif %}

    union all

    select
        copies.*,
        {{ duplicate_key_columns(
            source_key['copies'], raw_values_text(copy_columns, names=raw_columns),
            raw_file_order('copies')
        ) }}

    from {{ 'copy_rows' if copies_by_number else raw_rows }} as copies
    inner join repeated_keys
        on {{ raw_key_hash('product_usage', 'copies') }} = repeated_keys.key_hash

),

parsed as (

    select
        {{ clean_text('source.customer_id') }} as customer_id,
        cast({{ parse_raw_timestamp_utc('source.activity_date', typed) }} as date)
            as activity_date,
        {{ parse_raw_number('source.active_users', typed_numbers, integer=true) }} as active_users,
        {{ parse_raw_number('source.events_count', typed_numbers, integer=true) }} as events_count,
        {{ source_key['source'] }} as source_key,
        {%- for column in raw_columns %}
            source.{{ column }} as raw_text_{{ column }},
        {%- endfor %}
        {{ raw_file_columns('product_usage', 'source') }},
        source.copy_rank,
        source.has_conflicting_copies

    from source

),

checked as (

    select
        customer_id,
        activity_date,
        active_users,
        events_count,
        source_key,
        raw_file,
        raw_file_version,
        raw_row_number,
        copy_rank > 1 as is_merged_duplicate,
        case
            when copy_rank > 1 then null
            when customer_id is null then 'missing_customer_id'
            when activity_date is null and {{ clean_text(text_of['activity_date']) }} is null
                then 'missing_activity_date'
            when activity_date is null then 'unparseable_activity_date'
            when has_conflicting_copies then 'conflicting_duplicate_key'
            when active_users is null and {{ clean_text(text_of['active_users']) }} is not null
                then 'unparseable_active_users'
            when active_users < 0 then 'negative_active_users'
            when events_count is null and {{ clean_text(text_of['events_count']) }} is not null
                then 'unparseable_events_count'
            when events_count < 0 then 'negative_events_count'
        end as rejection_reason,
        {%- for column in raw_columns %}
            raw_text_{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from parsed

),

final as (

    select
        customer_id,
        activity_date,
        active_users,
        events_count,
        case when rejection_reason is not null then source_key end as source_key,
        {{ raw_stored_key('product_usage', 'source', key='source_key') }} as source_key_hash,
        case
            when rejection_reason is not null
                then {{ raw_values_text(raw_text_columns, names=raw_columns) }}
        end as raw_values,
        is_merged_duplicate,
        rejection_reason,
        raw_file,
        raw_file_version,
        raw_row_number

    from checked

)

select * from final
