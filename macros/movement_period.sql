{#- The period a date falls in at the var `movement_grain`, named by its first day:
    the day itself for `day`, the first of the month for `month`. -#}
{% macro movement_period(date_column) -%}
    {%- if var('movement_grain') == 'month' -%}
        cast({{ dbt.date_trunc('month', date_column) }} as date)
    {%- else -%}
        cast({{ date_column }} as date)
    {%- endif -%}
{%- endmacro %}
