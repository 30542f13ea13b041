{#- The file, version and row number columns of a base row (null where the raw tables
    are not files, and the row number where the files' rows are not numbered). -#}
{% macro raw_file_columns(table_name, relation) -%}
    {%- set files = raw_file_list(table_name) -%}
    {%- if target.type == 'duckdb' -%}
        {{ relation }}.raw_file,
        {{ relation }}.raw_file_version || '{{ files.suffix if files is not none else "" }}' as raw_file_version,
        {{ relation ~ '.raw_row_number' if files is not none and files.numbered
            else 'cast(null as ' ~ dbt.type_bigint() ~ ')' }} as raw_row_number
    {%- else -%}
        cast(null as {{ dbt.type_string() }}) as raw_file,
        cast(null as {{ dbt.type_string() }}) as raw_file_version,
        cast(null as {{ dbt.type_bigint() }}) as raw_row_number
    {%- endif -%}
{%- endmacro %}
