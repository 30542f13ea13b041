{#- Pre-hooks: first the keys to read again, then the rows that leave the table. -#}
{% macro raw_file_find_keys(table_name) %}
    {% set key = raw_stored_key(table_name, 'raw_rows') %}
    {% set stored_key = raw_file_table(table_name).stored_key %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode != 'files' %}
        {{ return('select 1') }}
    {% endif %}
    {% set parts = [] %}
    {% if changes.new %}
        {% do parts.append(
            'select ' ~ key ~ ' as raw_key from ' ~ source('raw', table_name)
            ~ ' as raw_rows where raw_rows.raw_file in ' ~ raw_file_sql_list(changes.new)) %}
    {% endif %}
    {% if changes.gone %}
        {% do parts.append(
            'select ' ~ stored_key ~ ' as raw_key from ' ~ this ~ " where raw_file || '|' || raw_file_version in "
            ~ raw_file_sql_list(changes.gone)) %}
    {% endif %}
    {{ return(
        'create or replace table ' ~ raw_file_keys_relation() ~ ' as select distinct raw_key from ('
        ~ parts | join(' union all ') ~ ') as keys where raw_key is not null') }}
{% endmacro %}
