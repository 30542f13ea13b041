{#- The reactivation rule (policy `reactivation_rule`; its bounds: macro
    reactivation_window_bounds): true when a customer whose last churn was on
    `churn_date` and who comes back on `on_date` is reactivated rather than new.
    `churn_grain` is the grain churn_date is dated by: the movement grain for revenue
    churns, `day` for usage inactivity. -#}
{% macro is_within_reactivation_window(churn_date, on_date, churn_grain=var('movement_grain')) -%}
    {%- set bounds = reactivation_window_bounds(churn_date, churn_grain) -%}
    {%- set tests = [] -%}
    {%- if bounds.earliest is not none -%}
        {%- do tests.append(on_date ~ ' >= ' ~ bounds.earliest) -%}
    {%- endif -%}
    {%- if bounds.latest is not none -%}
        {%- do tests.append(on_date ~ ' <= ' ~ bounds.latest) -%}
    {%- endif -%}
    {{ tests | join(' and ') if tests else 'true' }}
{%- endmacro %}
