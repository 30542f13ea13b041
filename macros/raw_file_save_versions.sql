{#- Post-hook, inside the model's transaction: the files and versions the model's table
    holds after this run, into raw_file_versions_relation, unless nothing was read and
    that table is there already. Nothing off DuckDB or without a file list. -#}
{% macro raw_file_save_versions(table_name) %}
    {% if raw_file_list(table_name) is none %}
        {{ return('select 1') }}
    {% endif %}
    {% set versions = raw_file_versions_relation() %}
    {% if raw_file_changes(table_name).mode == 'none' and adapter.get_relation(
        database=versions.database, schema=versions.schema, identifier=versions.identifier
    ) is not none %}
        {{ return('select 1') }}
    {% endif %}
    {{ return(
        'create or replace table ' ~ versions ~ ' as select raw_file, raw_file_version from '
        ~ this ~ ' group by raw_file, raw_file_version') }}
{% endmacro %}
