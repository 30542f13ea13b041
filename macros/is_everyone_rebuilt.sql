{#- Whether this run recomputes every customer of the ARR chain (int_customers_to_rebuild's
    is_everyone). False when that table is not there or was built by a version of
    winback without the column (a run that selected part of the chain): the model then
    goes on incrementally. -#}
{% macro is_everyone_rebuilt() %}
    {% set customers = ref('int_customers_to_rebuild') %}
    {% set relation = adapter.get_relation(
        database=customers.database, schema=customers.schema, identifier=customers.identifier
    ) %}
    {% if relation is none or 'is_everyone' not in (
        adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list
    ) %}
        {{ return(false) }}
    {% endif %}
    {% set everyone = run_query(
        'select count(*) from ' ~ relation ~ ' where is_everyone'
    ).columns[0].values() %}
    {{ return(everyone[0] > 0) }}
{% endmacro %}
