{#- The type of exchange rates. -#}
{% macro rate_type() -%}
    decimal(28, 12)
{%- endmacro %}
