{#- The time-since-churn bucket of an inactivity that began on `start_date`, as seen on
    `as_seen_on`: whole calendar months, `0-3`, `3-6`, `6-12`, `12-24` or `24+` (macro
    months_since_churn_buckets). -#}
{% macro months_since_churn_bucket(start_date, as_seen_on) -%}
    {%- set buckets = months_since_churn_buckets() -%}
    case
    {%- for bucket in buckets[:-1] %}
        when {{ as_seen_on }} < {{ dbt.dateadd('month', buckets[loop.index].from_months, start_date) }} then '{{ bucket.name }}'
    {%- endfor %}
        else '{{ buckets[-1].name }}'
    end
{%- endmacro %}
