{#- Whole days from `start_date` to `end_date` (negative when it runs backwards), as a
    bigint on every engine: dbt's datediff gives an integer on Postgres and a bigint on
    DuckDB, and contracts must not differ between engines. -#}
{% macro date_diff_days(start_date, end_date) %}
    {{ return(adapter.dispatch('date_diff_days', 'winback')(start_date, end_date)) }}
{% endmacro %}

{% macro default__date_diff_days(start_date, end_date) -%}
    cast({{ date_diff_days(start_date, end_date) }} as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro duckdb__date_diff_days(start_date, end_date) -%}
    date_diff('day', cast({{ start_date }} as date), cast({{ end_date }} as date))
{%- endmacro %}

{% macro postgres__date_diff_days(start_date, end_date) -%}
    cast(cast({{ end_date }} as date) - cast({{ start_date }} as date) as bigint)
{%- endmacro %}

{% macro spark__date_diff_days(start_date, end_date) -%}
    cast(datediff(cast({{ end_date }} as date), cast({{ start_date }} as date)) as bigint)
{%- endmacro %}
