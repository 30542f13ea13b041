{#- Post-hook, inside the model's transaction: the files and versions the model's table
    holds after this run, into raw_file_versions_relation, unless nothing was read and
    that table is there already. A run that ends reads every file the load hook listed
    (or reads none, when none changed), so they are the listed files with their
    versions as the base rows store them, written without a scan of the table; a
    listed file with no rows at all is so not read again. Nothing off DuckDB or
    without a file list. -#}
{% macro raw_file_save_versions(table_name) %}
    {% set files = raw_file_list(table_name) %}
    {% if files is none %}
        {{ return('select 1') }}
    {% endif %}
    {% set versions = raw_file_versions_relation() %}
    {% if raw_file_changes(table_name).mode == 'none' and adapter.get_relation(
        database=versions.database, schema=versions.schema, identifier=versions.identifier
    ) is not none %}
        {{ return('select 1') }}
    {% endif %}
    {#- Known to this run's relation cache too, so that a model after this one that
        reads which files the table holds (macro raw_file_reader_save_versions) finds
        it in the run that first writes it. -#}
    {% do adapter.cache_added(versions) %}
    {{ return(
        'create or replace table ' ~ versions ~ ' as select raw_file, raw_file_version || '
        ~ "'" ~ files.suffix ~ "' as raw_file_version from " ~ files.relation
        ~ " where table_name = '" ~ table_name ~ "'") }}
{% endmacro %}
