{#- When only some files are read (mode `files`), the first CTE of the base model: the
    raw rows of the keys to read again and the new files' rows without a key, found in
    one pass over the raw relation and kept (`materialized`) for the model's three reads
    of them; empty otherwise. -#}
{% macro raw_file_rows_cte(table_name) %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode != 'files' %}
        {{ return('') }}
    {% endif %}
    {% set key = raw_natural_key(table_name, 'raw_rows') %}
    {{ return(
        'raw_rows_to_read as materialized (select * from ' ~ source('raw', table_name)
        ~ ' as raw_rows where ' ~ key ~ ' in (select raw_key from '
        ~ raw_file_keys_relation() ~ ')'
        ~ (' or (' ~ key ~ ' is null and raw_rows.raw_file in '
            ~ raw_file_sql_list(changes.new) ~ ')' if changes.new else '')
        ~ '),') }}
{% endmacro %}
