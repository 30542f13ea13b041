{#- The date at whose end a movement period is compared and valued: the day itself, or
    the month's last day; never later than as_of_date. -#}
{% macro period_valuation_date(period_date, as_of_date) -%}
    {%- if var('movement_grain') == 'month' -%}
        least(
            cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, period_date)) }} as date),
            {{ as_of_date }}
        )
    {%- else -%}
        {{ period_date }}
    {%- endif -%}
{%- endmacro %}
