{#- The kinds of int_incremental_fingerprints keyed by customer, as a SQL list. -#}
{% macro customer_fingerprint_kinds() -%}
    'customer_events', 'customer_row'
{%- endmacro %}
