{#- The contracts in models/marts/*/_*.yml name their types once for every engine
    (`double`, `varchar`, `decimal(28,6)`, ...). dbt uses those names twice: it checks a
    contract by casting null to each type (dbt's dispatched `cast`), and Postgres
    creates the table from them (`get_table_columns_and_constraints`). The overrides
    below respell the names an engine does not know, so the same YAML holds on DuckDB,
    Postgres and Spark. Root-project macros come before dbt's own in dispatch, so no
    dispatch config is needed. -#}

{% macro contract_type(type) %}
    {{ return(adapter.dispatch('contract_type', 'winback')(type)) }}
{% endmacro %}

{% macro default__contract_type(type) %}
    {{ return(type) }}
{% endmacro %}

{#- Postgres has no type `double`: it is `double precision`. -#}
{% macro postgres__contract_type(type) %}
    {{ return({'double': 'double precision'}.get(type | trim | lower, type)) }}
{% endmacro %}

{#- Spark's text type is `string`; a bare `varchar` (no length) does not parse. -#}
{% macro spark__contract_type(type) %}
    {{ return({'varchar': 'string', 'text': 'string', 'double precision': 'double'}.get(
        type | trim | lower, type)) }}
{% endmacro %}
