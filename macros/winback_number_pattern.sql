{#- A decimal number as text: sign, digits with at most one point, optional exponent.
    DuckDB's try_cast also takes `1_000`; the other engines do not. -#}
{% macro winback_number_pattern() -%}
    ^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$
{%- endmacro %}
