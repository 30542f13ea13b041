{#- The table's files as the load hook listed them: {'rows': [(raw_file, version as
    stored in the base model)], 'numbered': whether every file's rows are numbered,
    'suffix': what the stored version adds to the listed one, 'relation': the list};
    none without a file list (a unit test, before the load hook first ran, not
    DuckDB). Whether the rows are numbered is part of the stored version, so that a
    table whose files become numbered, or stop being numbered, is read again whole. -#}
{% macro raw_file_list(table_name) %}
    {% set files = adapter.get_relation(
        database=target.database, schema=var('raw_schema'), identifier='winback_raw_files'
    ) if execute and target.type == 'duckdb' and this is not none else none %}
    {% if files is none %}
        {{ return(none) }}
    {% endif %}
    {% set listed = run_query(
        "select raw_file, raw_file_version, has_row_numbers from " ~ files
        ~ " where table_name = '" ~ table_name ~ "'") %}
    {% set numbered = namespace(files=listed.rows | length > 0) %}
    {% for row in listed.rows if not row[2] %}
        {% set numbered.files = false %}
    {% endfor %}
    {% set suffix = ':' ~ raw_file_digest(raw_file_table(table_name).seeds)
        ~ (':numbered' if numbered.files else '') %}
    {% set rows = [] %}
    {% for row in listed.rows %}
        {% do rows.append((row[0], row[1] ~ suffix)) %}
    {% endfor %}
    {{ return({'rows': rows, 'numbered': numbered.files, 'suffix': suffix, 'relation': files}) }}
{% endmacro %}
