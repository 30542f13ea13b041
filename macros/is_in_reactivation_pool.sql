{#- The inactive-pool rule, written once for every reactivation metric: an inactivity
    that began on `inactive_date` and ended (if it did) on `return_date` puts its
    customer in the pool of a period starting on `period_start` when the customer was
    inactive at the end of the day before (inactive_date before period_start), had not
    come back before it, and a return on period_start would be a reactivation
    (is_within_reactivation_window; `churn_grain`: what inactive_date is dated by).
    Under pause_treatment `churn_without_reactivation` a churn caused by a pause
    (`is_pause_churn`, revenue pools) puts no one in the pool: its return is a resume,
    never a reactivation. -#}
{% macro is_in_reactivation_pool(
    inactive_date, return_date, period_start, churn_grain=var('movement_grain'), is_pause_churn=none
) -%}
    (
        {{ period_start }} > {{ inactive_date }}
        and ({{ return_date }} is null or {{ period_start }} <= {{ return_date }})
        and {{ is_within_reactivation_window(inactive_date, period_start, churn_grain) }}
        {%- if is_pause_churn is not none and policy('pause_treatment') == 'churn_without_reactivation' %}
        and not {{ is_pause_churn }}
        {%- endif %}
    )
{%- endmacro %}
