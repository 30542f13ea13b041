{#- What this run of the model reads: {'mode', 'new', 'gone', 'numbered'} as described
    above; `new` lists the files (paths) to read, `gone` the `file|version` pairs to
    forget, and `numbered` says the load hook numbered the rows of the table's files
    (Parquet; macro raw_file_rows_at), in every mode on DuckDB. A run that would read
    every row again is a full build (macro should_full_refresh), so the mode is `full`,
    `files` or `none`. -#}
{% macro raw_file_changes(table_name) %}
    {% set files = raw_file_list(table_name) %}
    {% if files is none %}
        {{ return({'mode': 'full', 'new': [], 'gone': [], 'numbered': false}) }}
    {% endif %}
    {% if not is_incremental() %}
        {{ return({'mode': 'full', 'new': [], 'gone': [], 'numbered': files.numbered}) }}
    {% endif %}
    {{ return(raw_file_held_changes(table_name, files)) }}
{% endmacro %}
