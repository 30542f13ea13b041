{#- dbt-spark adds a contract's constraints with `ALTER TABLE ... CHANGE COLUMN ... SET NOT
    NULL` unless the model's file_format is set to something other than delta, and it takes
    a missing file_format for delta; the tables it builds without one are parquet, which
    refuses the ALTER. Here the constraints are applied only to tables declared delta;
    on other formats the columns' `not_null` data tests (which every engine runs) are
    what checks them. -#}
{% macro spark__persist_constraints(relation, model) %}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced and config.get('file_format') == 'delta' -%}
        {% do alter_table_add_constraints(relation, model.constraints) %}
        {% do alter_column_set_constraints(relation, model.columns) %}
    {%- elif contract_config.enforced and (model.constraints or model.columns.values()
            | selectattr('constraints') | list) -%}
        {% do log('winback: ' ~ relation ~ ' is not a delta table; its contract constraints'
            ~ ' are checked by data tests, not by the table.', info=false) %}
    {%- endif -%}
{% endmacro %}
