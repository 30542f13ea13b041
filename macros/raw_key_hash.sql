{#- What a base model groups raw rows by to find the copies of a natural key (macro
    raw_natural_key) read as `relation`: the same value for every row of one key, and a
    different one for rows of different keys except by a rare collision. A collision
    only adds a row to those the model ranks by the key itself, where it stays its own
    first copy. On DuckDB a hash of the parts raw_natural_key gives, which groups and
    joins faster than the key's text (for usage, the customer and a day written as
    text). It is never null: rows without a key (an event whose event_id is missing or
    blank) may share a hash (of null, or of an empty text), so they may be ranked with
    the copies too, where each stays its own first copy (macro duplicate_key_columns for
    usage, the events model's copy rank); leaving them out would take a test of the key
    on every row, which costs more than the hash. Elsewhere the key itself, null without
    a key. -#}
{% macro raw_key_hash(table_name, relation) %}
    {{ return(adapter.dispatch('raw_key_hash', 'winback')(table_name, relation)) }}
{% endmacro %}

{% macro default__raw_key_hash(table_name, relation) -%}
    {{ raw_natural_key(table_name, relation) }}
{%- endmacro %}

{% macro duckdb__raw_key_hash(table_name, relation) -%}
    {%- set parts = raw_natural_key(table_name, relation, parts=true) -%}
    hash(
        {{ parts | join(',\n        ') }}
    )
{%- endmacro %}
