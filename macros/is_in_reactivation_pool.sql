{#- The inactive-pool rule, written once for every reactivation metric: an inactivity
    that began on `inactive_date` and ended (if it did) on `return_date` puts its
    customer in the pool of a period starting on `period_start` when the customer was
    inactive at the end of the day before (inactive_date before period_start), had not
    come back before it, and the reactivation window had not run out by it. -#}
{% macro is_in_reactivation_pool(inactive_date, return_date, period_start) -%}
    (
        {{ period_start }} > {{ inactive_date }}
        and ({{ return_date }} is null or {{ period_start }} <= {{ return_date }})
        and {{ is_within_reactivation_window(inactive_date, period_start) }}
    )
{%- endmacro %}
