{#- The month starts on which an inactivity is in each time-since-churn bucket (macro
    months_since_churn_bucket, as seen on a month start), for a query with one row per
    inactivity and bucket rather than one per inactivity and period. `start_month` is
    the first month start on or after the day the inactivity began (macro
    first_month_start_on_or_after): a month start is at least k months after that day
    exactly when it is at least k months after start_month (a day that is not a first
    of the month stays one after k months are added). Returns one entry per bucket, in
    order: `name`, `first_month` (a date expression, none for the first bucket: no
    lower bound) and `last_month` (none for the last bucket: no upper bound). -#}
{% macro months_since_churn_bucket_months(start_month) -%}
    {%- set buckets = months_since_churn_buckets() -%}
    {%- set months = [] -%}
    {%- for bucket in buckets -%}
        {%- set first_month = 'cast(' ~ dbt.dateadd('month', bucket.from_months, start_month) ~ ' as date)' -%}
        {%- set last_month = none if loop.last else ('cast(' ~ dbt.dateadd(
            'month', buckets[loop.index].from_months - 1, start_month) ~ ' as date)') -%}
        {%- do months.append({
            'name': bucket.name,
            'first_month': none if loop.first else first_month,
            'last_month': last_month,
        }) -%}
    {%- endfor -%}
    {{ return(months) }}
{%- endmacro %}
