{#- Text to a decimal number; null when it does not parse. -#}
{% macro parse_decimal(column, type=none) %}
    {{ return(adapter.dispatch('parse_decimal', 'winback')(column, type or money_type())) }}
{% endmacro %}

{% macro duckdb__parse_decimal(column, type) -%}
    try_cast(trim({{ column }}) as {{ type }})
{%- endmacro %}
