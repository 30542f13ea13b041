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
    {% set loaded = run_query(
        'select raw_file, raw_file_version from ' ~ this
        ~ ' group by raw_file, raw_file_version') %}
    {% set current_pairs = [] %}
    {% for row in current %}
        {% do current_pairs.append(row[0] ~ '|' ~ row[1]) %}
    {% endfor %}
    {% set loaded_pairs = [] %}
    {% for row in loaded.rows %}
        {% do loaded_pairs.append(row[0] ~ '|' ~ row[1]) %}
    {% endfor %}
    {% set new = [] %}
    {% for row in current if (row[0] ~ '|' ~ row[1]) not in loaded_pairs %}
        {% do new.append(row[0]) %}
    {% endfor %}
    {% set gone = [] %}
    {% set kept = namespace(files=0) %}
    {% for pair in loaded_pairs %}
        {% if pair in current_pairs %}
            {% set kept.files = kept.files + 1 %}
        {% else %}
            {% do gone.append(pair) %}
        {% endif %}
    {% endfor %}
    {% if kept.files == 0 %}
        {{ return({'mode': 'rebuild', 'new': new, 'gone': gone, 'numbered': numbered}) }}
    {% elif new or gone %}
        {{ return({'mode': 'files', 'new': new, 'gone': gone, 'numbered': numbered}) }}
    {% endif %}
    {{ return({'mode': 'none', 'new': [], 'gone': [], 'numbered': numbered}) }}
{% endmacro %}

{#- The table's files as the load hook listed them: {'rows': [(raw_file, version as
    stored in the base model)], 'numbered': whether every file's rows are numbered};
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
    {{ return({'rows': rows, 'numbered': numbered.files, 'suffix': suffix}) }}
{% endmacro %}
