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

{% macro postgres__cast(field, type) -%}
    cast({{ field }} as {{ contract_type(type) }})
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ contract_type(type) }})
{%- endmacro %}

{#- dbt's own table_columns_and_constraints, with the types respelled. -#}
{% macro postgres__get_table_columns_and_constraints() -%}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set respelled = dict(column) -%}
        {%- if column.get('data_type') -%}
            {%- do respelled.update({'data_type': contract_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do columns.update({name: respelled}) -%}
    {%- endfor -%}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=columns) -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(
        raw_constraints=model['constraints']) -%}
    (
    {% for c in raw_column_constraints -%}
        {{ c }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for c in raw_model_constraints -%}
        {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}
