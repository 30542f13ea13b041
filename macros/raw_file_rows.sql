{#- The raw rows to read, for `from`: the raw relation itself (first build, rebuild), or
    the CTE of macro raw_file_rows_cte (some files, or none). -#}
{% macro raw_file_rows(table_name) %}
    {% if raw_file_changes(table_name).mode in ['files', 'none'] %}
        {{ return('raw_rows_to_read') }}
    {% endif %}
    {{ return(source('raw', table_name)) }}
{% endmacro %}
