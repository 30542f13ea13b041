{#- True when the inactivity that began on `inactive_date` and ended (if it did) on
    `return_date` puts its customer in the pool of the period starting on
    `period_start` (the rule: macro reactivation_pool_bounds). -#}
{% macro is_in_reactivation_pool(
    inactive_date, return_date, period_start, churn_grain=var('movement_grain'), is_pause_churn=none
) -%}
    {%- set pool = reactivation_pool_bounds(inactive_date, return_date, churn_grain, is_pause_churn) -%}
    {%- set tests = [] -%}
    {%- for bound in pool.lower -%}
        {%- do tests.append(period_start ~ (' > ' if bound.strict else ' >= ') ~ bound.value) -%}
    {%- endfor -%}
    {%- for bound in pool.upper -%}
        {%- if bound.nullable -%}
            {%- do tests.append(
                '(' ~ bound.value ~ ' is null or ' ~ period_start ~ ' <= ' ~ bound.value ~ ')') -%}
        {%- else -%}
            {%- do tests.append(period_start ~ ' <= ' ~ bound.value) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if pool.is_excluded is not none -%}
        {%- do tests.append('not ' ~ pool.is_excluded) -%}
    {%- endif -%}
    (
        {{ tests | join('\n        and ') }}
    )
{%- endmacro %}
