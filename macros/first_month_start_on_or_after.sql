{#- The first day of a month on or after the date `day`, or `months_after` months after
    that one: the day itself (plus the months) when it is a first of the month, else the
    first of the next month (plus the months). Written with one date addition per
    branch, not as the month after the day before, so that engines whose date macros
    repeat their argument (Spark's) keep the expression small. -#}
{% macro first_month_start_on_or_after(day, months_after=0) -%}
    cast(
        case
            when {{ day }} = {{ dbt.date_trunc('month', day) }}
                then {{ day if months_after == 0 else dbt.dateadd('month', months_after, day) }}
            else {{ dbt.dateadd('month', months_after + 1, dbt.date_trunc('month', day)) }}
        end as date
    )
{%- endmacro %}
