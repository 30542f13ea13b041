{#- A decimal number as text: sign, digits with at most one point, optional exponent.
    Every engine's parser checks it first, so `1_000`, `1,000` or `$100` are rejected
    on all of them alike. -#}
{% macro winback_number_pattern() -%}
    ^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$
{%- endmacro %}
