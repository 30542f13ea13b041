{#- The time-since-churn bucket of an inactivity that began on `start_date`, as seen on
    `as_seen_on`: whole calendar months, `0-3`, `3-6`, `6-12`, `12-24` or `24+`. -#}
{% macro months_since_churn_bucket(start_date, as_seen_on) -%}
    case
        when {{ as_seen_on }} < {{ dbt.dateadd('month', 3, start_date) }} then '0-3'
        when {{ as_seen_on }} < {{ dbt.dateadd('month', 6, start_date) }} then '3-6'
        when {{ as_seen_on }} < {{ dbt.dateadd('month', 12, start_date) }} then '6-12'
        when {{ as_seen_on }} < {{ dbt.dateadd('month', 24, start_date) }} then '12-24'
        else '24+'
    end
{%- endmacro %}
