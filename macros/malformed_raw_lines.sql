{#- Raw lines that could not be read as rows: table_name, line_number, error_message,
    csv_line, and file_name when the table was read from more than one file. Only files read by DuckDB have them; elsewhere the raw tables are already
    tables and this is empty. -#}
{% macro malformed_raw_lines() %}
    {{ return(adapter.dispatch('malformed_raw_lines', 'winback')()) }}
{% endmacro %}

{% macro duckdb__malformed_raw_lines() -%}
    select
        table_name,
        cast(line_number as {{ dbt.type_bigint() }}) as line_number,
        error_message,
        csv_line,
        file_name
    from {{ source('raw', 'winback_malformed_lines') }}
{%- endmacro %}

{#- Elsewhere the raw tables are already tables. A loader that read them from files
    (scripts/warehouse.py) may leave the lines it could not read in
    `<raw_schema>.winback_malformed_lines`; without that table there are none. -#}
{% macro default__malformed_raw_lines() -%}
    {%- set relation = none -%}
    {%- if execute -%}
        {%- set relation = adapter.get_relation(
            database=target.database, schema=var('raw_schema'),
            identifier='winback_malformed_lines') -%}
    {%- endif -%}
    {%- if relation is not none -%}
    {%- set has_file_name = 'file_name' in (
        adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list) -%}
    select
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(line_number as {{ dbt.type_bigint() }}) as line_number,
        cast(error_message as {{ dbt.type_string() }}) as error_message,
        cast(csv_line as {{ dbt.type_string() }}) as csv_line,
        cast({{ 'file_name' if has_file_name else 'null' }} as {{ dbt.type_string() }}) as file_name
    from {{ relation }}
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_bigint() }}) as line_number,
        cast(null as {{ dbt.type_string() }}) as error_message,
        cast(null as {{ dbt.type_string() }}) as csv_line,
        cast(null as {{ dbt.type_string() }}) as file_name
    where 1 = 0
    {%- endif -%}
{%- endmacro %}
