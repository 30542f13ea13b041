{#- The first day of a month on or after the date `day`: the day itself when it is a
    first of the month, else the first of the next month. Written with one date
    addition, not as the month after the day before, so that engines whose date macros
    repeat their argument (Spark's) keep the expression small. -#}
{% macro first_month_start_on_or_after(day) -%}
    cast(
        case
            when {{ day }} = {{ dbt.date_trunc('month', day) }} then {{ day }}
            else {{ dbt.dateadd('month', 1, dbt.date_trunc('month', day)) }}
        end as date
    )
{%- endmacro %}
