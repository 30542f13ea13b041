{#- Post-hook of a model that reads a base model by customer (macro
    raw_file_reader_changes): the files and versions that base table holds, which this
    run has read, saved beside this model's table. Nothing when the base table keeps
    no list of its files. -#}
{% macro raw_file_reader_save_versions(base_model) %}
    {% set held = raw_file_versions_relation(ref(base_model)) if execute else none %}
    {% if held is none or target.type != 'duckdb' or adapter.get_relation(
        database=held.database, schema=held.schema, identifier=held.identifier) is none %}
        {{ return('select 1') }}
    {% endif %}
    {{ return('create or replace table ' ~ raw_file_versions_relation()
              ~ ' as select raw_file, raw_file_version from ' ~ held) }}
{% endmacro %}
