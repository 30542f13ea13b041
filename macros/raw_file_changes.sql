{#- What this run of the model reads: {'mode', 'new', 'gone', 'numbered'} as described
    above; `new` lists the files (paths) to read, `gone` the `file|version` pairs to
    forget, and `numbered` says the load hook numbered the rows of the table's files
    (Parquet; macro raw_file_rows_at), in every mode on DuckDB. -#}
{% macro raw_file_changes(table_name) %}
    {% set files = raw_file_list(table_name) %}
    {% if files is none %}
        {{ return({'mode': 'full', 'new': [], 'gone': [], 'numbered': false}) }}
    {% endif %}
    {% set numbered = files.numbered %}
    {% set current = files.rows %}
    {% if not is_incremental() %}
        {{ return({'mode': 'full', 'new': [], 'gone': [], 'numbered': numbered}) }}
    {% endif %}
    {#- The files and versions the table holds, as the last run saved them (macro
        raw_file_save_versions), or from the table itself before any run saved them. -#}
    {% set versions = raw_file_versions_relation() %}
    {% set saved = adapter.get_relation(
        database=versions.database, schema=versions.schema, identifier=versions.identifier) %}
    {#- A table read whole keeps no file in its rows. -#}
    {% if saved is none and raw_file_table(table_name).stored_key is none %}
        {{ return({'mode': 'rebuild', 'new': [], 'gone': [], 'numbered': numbered}) }}
    {% endif %}
    {% set loaded = run_query(
        'select raw_file, raw_file_version from ' ~ (saved if saved is not none else this)
        ~ ' group by raw_file, raw_file_version') %}
    {% set diff = raw_file_version_diff(current, loaded.rows) %}
    {% set new, gone = diff.new, diff.gone %}
    {% if diff.kept == 0 %}
        {{ return({'mode': 'rebuild', 'new': new, 'gone': gone, 'numbered': numbered}) }}
    {% elif new or gone %}
        {{ return({'mode': 'files', 'new': new, 'gone': gone, 'numbered': numbered}) }}
    {% endif %}
    {{ return({'mode': 'none', 'new': [], 'gone': [], 'numbered': numbered}) }}
{% endmacro %}
