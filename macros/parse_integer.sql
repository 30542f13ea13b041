{#- Text to a whole number; null when it does not parse. -#}
{% macro parse_integer(column) %}
    {{ return(adapter.dispatch('parse_integer', 'winback')(column)) }}
{% endmacro %}

{% macro duckdb__parse_integer(column) -%}
    try_cast(trim({{ column }}) as {{ dbt.type_bigint() }})
{%- endmacro %}
