{#- The file and version columns of a base row (null where the raw tables are not
    files). -#}
{% macro raw_file_columns(table_name, relation) -%}
    {%- if target.type == 'duckdb' -%}
        {{ relation }}.raw_file,
        {{ relation }}.raw_file_version || ':{{ raw_file_digest(raw_file_table(table_name).seeds) if execute else "" }}' as raw_file_version
    {%- else -%}
        cast(null as {{ dbt.type_string() }}) as raw_file,
        cast(null as {{ dbt.type_string() }}) as raw_file_version
    {%- endif -%}
{%- endmacro %}
