{#- dbt's should_full_refresh (--full-refresh, or the model's full_refresh config), and
    also true for a base model read by file (macro raw_file_materialization) whose run
    would read every row again (macro raw_file_held_changes: mode `rebuild`): the model's
    code or seeds changed, the single-file form was rewritten, or a customers file
    changed. Such a run then builds the table afresh as a full build does, rather than
    deleting every row and appending them all through a temporary table: at 1M
    customers the events took 36.3 s instead of 60.3 s, the usage 33.1 s instead of
    58.5 s. -#}
{% macro should_full_refresh() %}
    {% if dbt.should_full_refresh() %}
        {{ return(true) }}
    {% endif %}
    {% if not execute or this is none or model is not mapping
        or model.get('resource_type') != 'model'
        or not model.name.startswith('base_raw__')
        or model.config.materialized != 'incremental' %}
        {{ return(false) }}
    {% endif %}
    {% set table_name = model.name[('base_raw__' | length):] %}
    {% if raw_file_table(table_name) is none %}
        {{ return(false) }}
    {% endif %}
    {% set files = raw_file_list(table_name) %}
    {% if files is none or adapter.get_relation(
        database=this.database, schema=this.schema, identifier=this.identifier) is none %}
        {{ return(false) }}
    {% endif %}
    {{ return(raw_file_held_changes(table_name, files).mode == 'rebuild') }}
{% endmacro %}
