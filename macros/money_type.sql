{#- The one type of every money column: exact decimals, cents and below. -#}
{% macro money_type() -%}
    decimal(28, 6)
{%- endmacro %}
