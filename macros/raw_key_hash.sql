{#- What a base model groups raw rows by to find the copies of a natural key (macro
    raw_natural_key) read as `relation`: the same value for every row of one key, and a
    different one for rows of different keys except by a rare collision. A collision
    only adds a row to those the model ranks by the key itself, where it stays its own
    first copy. On DuckDB a hash of the key's parts, which groups and joins much faster
    than the key's text (for usage, the customer and a day written as text): null for an
    event without an event_id; for usage never null, so rows without a key may be
    ranked too, and stay first copies there (macro duplicate_key_columns). Elsewhere the
    key itself, null without a key. -#}
{% macro raw_key_hash(table_name, relation) %}
    {{ return(adapter.dispatch('raw_key_hash', 'winback')(table_name, relation)) }}
{% endmacro %}

{% macro default__raw_key_hash(table_name, relation) -%}
    {{ raw_natural_key(table_name, relation) }}
{%- endmacro %}

{% macro duckdb__raw_key_hash(table_name, relation) -%}
    {%- if table_name == 'subscription_events' -%}
        {%- set event_id = raw_natural_key(table_name, relation) -%}
        case when {{ event_id }} is not null then hash({{ event_id }}) end
    {%- else -%}
        {%- set activity_date = relation ~ '.activity_date' -%}
        {%- set day = 'cast(' ~ parse_raw_timestamp_utc(
            activity_date, raw_typed_columns(table_name, 'utc')) ~ ' as date)' -%}
        hash(
            {{ clean_text(relation ~ '.customer_id') }},
            {{ day }},
            case when {{ day }} is null then {{ clean_text(activity_date) }} end
        )
    {%- endif -%}
{%- endmacro %}
