{#- dbt unit tests compare the actual and the expected rows as they come back from the
    warehouse. Postgres keeps each numeric value's own scale, and a column built by an
    expression such as `case ... end` has no declared scale, so a model's 10.000000
    and the fixture's 10 would differ although they are equal. On Postgres the
    comparison therefore reads every numeric column with trailing zeros removed
    (`trim_scale`): values are compared by value, as on DuckDB and Spark, whose
    decimals always carry their column's scale. -#}
{% macro postgres__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {%- set numeric_columns = [] -%}
    {%- if execute -%}
        {%- for column in get_column_schema_from_query(main_sql) -%}
            {%- if column.dtype | upper in ['DECIMAL', 'NUMERIC'] -%}
                {%- do numeric_columns.append(column.name | lower) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select
        {%- for name in expected_column_names %}
        {%- if name | replace('"', '') | lower in numeric_columns %}
        trim_scale({{ name }}) as {{ name }},
        {%- else %}
        {{ name }},
        {%- endif %}
        {%- endfor %}
        {{ adapter.quote("actual_or_expected") }}
    from (
        {{ default__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) }}
    ) as dbt_internal_unit_test_compared
{%- endmacro %}
