{#- How the files of raw_file_list (`files`) differ from those the model's table holds,
    as raw_file_changes gives them, with mode `rebuild` when every row would be read
    again: no file the table holds is still current, or a file of a table read whole
    (no stored key: customers) was added, rewritten or removed. -#}
{% macro raw_file_held_changes(table_name, files) %}
    {% set numbered = files.numbered %}
    {% set read_whole = raw_file_table(table_name).stored_key is none %}
    {#- The files and versions the table holds, as the last run saved them (macro
        raw_file_save_versions), or from the table itself before any run saved them. -#}
    {% set versions = raw_file_versions_relation() %}
    {% set saved = adapter.get_relation(
        database=versions.database, schema=versions.schema, identifier=versions.identifier) %}
    {#- A table read whole keeps no file in its rows. -#}
    {% if saved is none and read_whole %}
        {{ return({'mode': 'rebuild', 'new': [], 'gone': [], 'numbered': numbered}) }}
    {% endif %}
    {% set loaded = run_query(
        'select raw_file, raw_file_version from ' ~ (saved if saved is not none else this)
        ~ ' group by raw_file, raw_file_version') %}
    {% set diff = raw_file_version_diff(files.rows, loaded.rows) %}
    {% set new, gone = diff.new, diff.gone %}
    {% if diff.kept == 0 or (read_whole and (new or gone)) %}
        {{ return({'mode': 'rebuild', 'new': new, 'gone': gone, 'numbered': numbered}) }}
    {% elif new or gone %}
        {{ return({'mode': 'files', 'new': new, 'gone': gone, 'numbered': numbered}) }}
    {% endif %}
    {{ return({'mode': 'none', 'new': [], 'gone': [], 'numbered': numbered}) }}
{% endmacro %}
