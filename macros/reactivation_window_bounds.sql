{#- The reactivation rule (policy `reactivation_rule`) as bounds on the return date, for
    a customer whose last churn was on `churn_date`: {'earliest', 'latest'}, each a date
    expression or none (no bound).
    - within_months: latest churn_date + `reactivation_window_months` months (none when
      that var is null);
    - within_days: latest churn_date + `reactivation_window_days` days;
    - after_full_month_at_zero: a whole calendar month at 0 lies between them. A churn
      dated by its day ends the ARR that day, so the first whole month is the one after
      the day before it; a churn dated by its month (`churn_grain` month: the movement
      period's first day) ends it in that month, so the first whole month is the next:
      earliest is the first day of the month after that whole month (always the
      first of a month);
    - any: no bound. -#}
{% macro reactivation_window_bounds(churn_date, churn_grain=var('movement_grain')) -%}
    {%- set rule = policy('reactivation_rule') -%}
    {%- set bounds = {'earliest': none, 'latest': none} -%}
    {%- if rule == 'within_months' and var('reactivation_window_months') is not none -%}
        {%- do bounds.update({'latest': dbt.dateadd(
            'month', var('reactivation_window_months') | int, churn_date)}) -%}
    {%- elif rule == 'within_days' -%}
        {%- do bounds.update({'latest': dbt.dateadd(
            'day', var('reactivation_window_days') | int, churn_date)}) -%}
    {%- elif rule == 'after_full_month_at_zero' and churn_grain == 'month' -%}
        {%- do bounds.update({'earliest': dbt.dateadd(
            'month', 2, dbt.date_trunc('month', churn_date))}) -%}
    {%- elif rule == 'after_full_month_at_zero' -%}
        {#- Two months after the first of the month of the day before, that is one
            month after the first month start on or after the churn: written without
            nesting date additions, which engines whose date macros repeat their
            argument (Spark's) would multiply. -#}
        {%- do bounds.update({'earliest': first_month_start_on_or_after(
            churn_date, months_after=1)}) -%}
    {%- endif -%}
    {{ return(bounds) }}
{%- endmacro %}
