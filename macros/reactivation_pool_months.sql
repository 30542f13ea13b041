{#- The month starts on which an inactivity is in the pool (the rule: macro
    reactivation_pool_bounds), for a query with one row per inactivity rather than one
    per inactivity and period: every period reported on (month, quarter, year) starts
    on the first of a month. Returns {'first_month', 'last_month', 'is_excluded'}: the
    first and the last month start in the pool (last_month null when the pool has no
    end), and the rule's exclusion (none, or an expression true for the rows that are
    in no pool). A row whose last_month is before its first_month is in no pool. -#}
{% macro reactivation_pool_months(
    inactive_date, return_date, churn_grain=var('movement_grain'), is_pause_churn=none
) -%}
    {%- set pool = reactivation_pool_bounds(inactive_date, return_date, churn_grain, is_pause_churn) -%}
    {#- The first month start after a day is the one after the day's month; on or after
        it, the day itself when it is a first of the month (always, for a `month_start`
        bound), else the one after its month. -#}
    {%- set lower = [] -%}
    {%- for bound in pool.lower -%}
        {%- if bound.strict -%}
            {%- do lower.append(dbt.dateadd('month', 1, dbt.date_trunc('month', bound.value))) -%}
        {%- elif bound.month_start -%}
            {%- do lower.append(bound.value) -%}
        {%- else -%}
            {%- do lower.append(first_month_start_on_or_after(bound.value)) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- The last month start on or before a day is the day's month. least() skips a
        null (no return: no bound). -#}
    {%- set upper = [] -%}
    {%- for bound in pool.upper -%}
        {%- do upper.append(bound.value) -%}
    {%- endfor -%}
    {%- set first_day = 'greatest(' ~ lower | join(', ') ~ ')' if lower | length > 1 else lower[0] -%}
    {%- set last_day = 'least(' ~ upper | join(', ') ~ ')' if upper | length > 1 else upper[0] -%}
    {#- On one line, without the blank lines and indents of the engine's date macros. -#}
    {%- set first_month = ('cast(' ~ first_day ~ ' as date)').split() | join(' ') -%}
    {%- set last_month = ('cast(' ~ dbt.date_trunc('month', last_day) ~ ' as date)').split() | join(' ') -%}
    {{ return({
        'first_month': first_month.replace('( ', '(').replace(' )', ')'),
        'last_month': last_month.replace('( ', '(').replace(' )', ')'),
        'is_excluded': pool.is_excluded,
    }) }}
{%- endmacro %}
