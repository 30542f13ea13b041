{#- The inactive-pool rule, written once for every reactivation metric, as bounds on the
    first day of a period: an inactivity that began on `inactive_date` and ended (if it
    did) on `return_date` puts its customer in the pool of a period starting on a day
    - after inactive_date (inactive at the end of the day before),
    - no later than return_date when there is one (not back before it),
    - within the reactivation window (macro reactivation_window_bounds: a return that
      day would be a reactivation).
    Returns {'lower', 'upper', 'is_excluded'}: `lower` lists the bounds the day must
    be after (`strict`) or on or after, `month_start` when the bound is always the
    first of a month; `upper` those it must be on or before, a
    `nullable` one only when it is not null; `is_excluded` is none, or under
    pause_treatment `churn_without_reactivation` the expression `is_pause_churn` (a
    churn caused by a pause puts no one in the pool: its return is a resume, never a
    reactivation). Macros is_in_reactivation_pool and reactivation_pool_months read
    them. -#}
{% macro reactivation_pool_bounds(
    inactive_date, return_date, churn_grain=var('movement_grain'), is_pause_churn=none
) -%}
    {%- set window = reactivation_window_bounds(inactive_date, churn_grain) -%}
    {%- set lower = [{'value': inactive_date, 'strict': true}] -%}
    {%- if window.earliest is not none -%}
        {%- do lower.append({'value': window.earliest, 'strict': false, 'month_start': true}) -%}
    {%- endif -%}
    {%- set upper = [{'value': return_date, 'nullable': true}] -%}
    {%- if window.latest is not none -%}
        {%- do upper.append({'value': window.latest, 'nullable': false}) -%}
    {%- endif -%}
    {%- set is_excluded = is_pause_churn
        if is_pause_churn is not none and policy('pause_treatment') == 'churn_without_reactivation'
        else none -%}
    {{ return({'lower': lower, 'upper': upper, 'is_excluded': is_excluded}) }}
{%- endmacro %}
