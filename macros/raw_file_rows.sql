{#- The raw rows to read, for `from`: the raw relation itself (first build, rebuild),
    none, or the CTE of macro raw_file_rows_cte. -#}
{% macro raw_file_rows(table_name) %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode == 'files' %}
        {{ return('raw_rows_to_read') }}
    {% elif changes.mode == 'none' %}
        {{ return('(select * from ' ~ source('raw', table_name) ~ ' where false)') }}
    {% endif %}
    {{ return(source('raw', table_name)) }}
{% endmacro %}
