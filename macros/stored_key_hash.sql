{#- What a base model stores for a key it finds the rows of by a hash (macro
    raw_stored_key): on DuckDB, where a daily run reads the raw files incrementally, the
    64-bit hash() of the key's text. Every row without a key gets the hash of null, so
    those rows are found, deleted and read again together, as one key. Elsewhere null,
    as the raw file columns are (macro raw_file_columns). -#}
{% macro stored_key_hash(expression) %}
    {{ return(adapter.dispatch('stored_key_hash', 'winback')(expression)) }}
{% endmacro %}

{% macro default__stored_key_hash(expression) -%}
    cast(null as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro duckdb__stored_key_hash(expression) -%}
    hash({{ expression }})
{%- endmacro %}
