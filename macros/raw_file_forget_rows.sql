{% macro raw_file_forget_rows(table_name) %}
    {% set stored_key = raw_file_table(table_name).stored_key %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode != 'files' %}
        {{ return('select 1') }}
    {% endif %}
    {{ return(
        'delete from ' ~ this ~ ' where ' ~ stored_key ~ ' in (select raw_key from '
        ~ raw_file_keys_relation() ~ ')'
        ~ (" or raw_file || '|' || raw_file_version in " ~ raw_file_sql_list(changes.gone)
            if changes.gone else '')) }}
{% endmacro %}
