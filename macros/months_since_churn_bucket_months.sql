{#- The month starts on which an inactivity that began on `start_date` enters each
    time-since-churn bucket (macro months_since_churn_bucket, as seen on a month start),
    for a query with one row per inactivity and bucket rather than one per inactivity
    and period. Returns one entry per bucket, in order: `name` and `first_month`, a date
    expression (none for the first bucket, which has no lower bound). A bucket holds the
    month starts from its first_month to the month before the next bucket's. A month
    start is on or after a day when it is on or after the first month start after the
    day before. On one line, without the blank lines and indents of the engine's date
    macros. -#}
{% macro months_since_churn_bucket_months(start_date) -%}
    {%- set months = [] -%}
    {%- for bucket in months_since_churn_buckets() -%}
        {%- set day_before = dbt.dateadd(
            'day', -1, dbt.dateadd('month', bucket.from_months, start_date)) -%}
        {%- set first_month = 'cast('
            ~ dbt.dateadd('month', 1, dbt.date_trunc('month', day_before)) ~ ' as date)' -%}
        {%- do months.append({
            'name': bucket.name,
            'first_month': none if loop.first else (
                first_month.split() | join(' ')).replace('( ', '(').replace(' )', ')'),
        }) -%}
    {%- endfor -%}
    {{ return(months) }}
{%- endmacro %}
