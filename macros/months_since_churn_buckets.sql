{#- The time-since-churn buckets, in order: each a name and the whole calendar months
    since the churn at which it begins. Macros months_since_churn_bucket and
    months_since_churn_bucket_months read them. -#}
{% macro months_since_churn_buckets() -%}
    {{ return([
        {'name': '0-3', 'from_months': 0},
        {'name': '3-6', 'from_months': 3},
        {'name': '6-12', 'from_months': 6},
        {'name': '12-24', 'from_months': 12},
        {'name': '24+', 'from_months': 24},
    ]) }}
{%- endmacro %}
