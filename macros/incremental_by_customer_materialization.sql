{#- The event-heavy models of the ARR chain are incremental by customer: a run
    recomputes every customer in int_customers_to_rebuild from all of their events and
    replaces their rows, so late, out-of-order and repeated rows give what a full
    refresh gives. On engines without row deletes in their default tables (Spark) they
    are plain tables. -#}
{% macro incremental_by_customer_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}
