{#- When the files' rows are numbered, the file and number of the table's rows of the
    keys to read again, from files still current, taken before they leave the table:
    they are read again by number, and the raw relation is searched for none of them.
    Every row of a file still current holds its number (the numbering is part of each
    row's file version). -#}
{% macro raw_file_find_key_rows(table_name) %}
    {% set stored_key = raw_file_table(table_name).stored_key %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode != 'files' or not changes.numbered %}
        {{ return('select 1') }}
    {% endif %}
    {{ return(
        'create or replace table ' ~ raw_file_keys_relation(rows=true)
        ~ ' as select raw_file, raw_row_number from ' ~ this ~ ' where ' ~ stored_key
        ~ ' in (select raw_key from ' ~ raw_file_keys_relation() ~ ')'
        ~ (" and raw_file || '|' || raw_file_version not in " ~ raw_file_sql_list(changes.gone)
            if changes.gone else '')) }}
{% endmacro %}
