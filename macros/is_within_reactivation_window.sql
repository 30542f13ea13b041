{#- The reactivation window, written once: true when `on_date` is no later than
    `churn_date` + `reactivation_window_months` months (always true when the var is
    null, which means no limit). -#}
{% macro is_within_reactivation_window(churn_date, on_date, window_months=var('reactivation_window_months')) -%}
    {%- if window_months is none -%}
        true
    {%- else -%}
        {{ on_date }} <= {{ dbt.dateadd('month', window_months | int, churn_date) }}
    {%- endif -%}
{%- endmacro %}
