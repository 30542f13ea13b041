{#- The reactivation rule (policy `reactivation_rule`), written once: true when a
    customer whose last churn was on `churn_date` and who comes back on `on_date` is
    reactivated rather than new.
    - within_months: on_date no later than churn_date + `reactivation_window_months`
      months (always, when that var is null);
    - within_days: on_date no later than churn_date + `reactivation_window_days` days;
    - after_full_month_at_zero: a whole calendar month at 0 lies between them. A churn
      dated by its day ends the ARR that day, so the first whole month is the one after
      the day before it; a churn dated by its month (`churn_grain` month: the movement
      period's first day) ends it in that month, so the first whole month is the next;
    - any: always.
    `churn_grain` is the grain churn_date is dated by: the movement grain for revenue
    churns, `day` for usage inactivity. -#}
{% macro is_within_reactivation_window(churn_date, on_date, churn_grain=var('movement_grain')) -%}
    {%- set rule = policy('reactivation_rule') -%}
    {%- if rule == 'within_months' -%}
        {%- set window_months = var('reactivation_window_months') -%}
        {%- if window_months is none -%}
            true
        {%- else -%}
            {{ on_date }} <= {{ dbt.dateadd('month', window_months | int, churn_date) }}
        {%- endif -%}
    {%- elif rule == 'within_days' -%}
        {{ on_date }} <= {{ dbt.dateadd('day', var('reactivation_window_days') | int, churn_date) }}
    {%- elif rule == 'after_full_month_at_zero' -%}
        {%- if churn_grain == 'month' -%}
            {{ on_date }} >= {{ dbt.dateadd('month', 2, dbt.date_trunc('month', churn_date)) }}
        {%- else -%}
            {{ on_date }} >= {{ dbt.dateadd(
                'month', 2, dbt.date_trunc('month', dbt.dateadd('day', -1, churn_date))
            ) }}
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
