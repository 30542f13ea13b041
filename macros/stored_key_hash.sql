{#- A hash of a key's text, null for a null key: on DuckDB its 64-bit hash(), elsewhere
    dbt's cross-database hash (an md5 text). -#}
{% macro stored_key_hash(expression) %}
    {{ return(adapter.dispatch('stored_key_hash', 'winback')(expression)) }}
{% endmacro %}

{% macro default__stored_key_hash(expression) -%}
    {{ dbt.hash(expression) }}
{%- endmacro %}

{% macro duckdb__stored_key_hash(expression) -%}
    case when {{ expression }} is not null then hash({{ expression }}) end
{%- endmacro %}
