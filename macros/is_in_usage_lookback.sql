{#- True when a day of product activity falls in the 90 days up to a churn (the churn
    day included), the days whose activity grades the customer's pre-churn usage. -#}
{% macro is_in_usage_lookback(activity_date, churn_date) -%}
    {{ churn_date }} >= {{ activity_date }}
    and {{ dbt.dateadd('day', -90, churn_date) }} < {{ activity_date }}
{%- endmacro %}
