{#- The raw rows to read, for `from`: the raw relation itself, or only the rows of the
    keys to read again and the new files' rows without a key. -#}
{% macro raw_file_rows(table_name) %}
    {% set key = raw_natural_key(table_name, 'raw_rows') %}
    {% set changes = raw_file_changes(table_name) %}
    {% set raw = source('raw', table_name) %}
    {% if changes.mode in ['full', 'rebuild'] %}
        {{ return(raw) }}
    {% elif changes.mode == 'none' %}
        {{ return('(select * from ' ~ raw ~ ' where false)') }}
    {% endif %}
    {{ return(
        '(select * from ' ~ raw ~ ' as raw_rows where ' ~ key ~ ' in (select raw_key from '
        ~ raw_file_keys_relation() ~ ')'
        ~ (' or (' ~ key ~ ' is null and raw_rows.raw_file in '
            ~ raw_file_sql_list(changes.new) ~ ')' if changes.new else '')
        ~ ')') }}
{% endmacro %}
