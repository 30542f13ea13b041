{#- The inactive pool, written once for every reactivation metric. Joins each period
    (needs `period_start`) to the inactivity episodes (need `inactive_date`,
    `return_date`) that are open at its start: the customer was inactive at the end of
    the day before the period (inactive_date before period_start), had not come back
    (no return before period_start), and the window `window_months` after the
    inactivity had not run out (inactive_date + window_months not before
    period_start; none = no limit). -#}
{% macro reactivation_pool(periods, episodes, window_months=var('reactivation_window_months')) -%}
    {{ periods }}
    inner join {{ episodes }}
        on
            {{ episodes }}.inactive_date < {{ periods }}.period_start
            and (
                {{ episodes }}.return_date is null
                or {{ episodes }}.return_date >= {{ periods }}.period_start
            )
            {%- if window_months is not none %}
            and {{ dbt.dateadd('month', window_months | int, episodes ~ '.inactive_date') }}
            >= {{ periods }}.period_start
            {%- endif %}
{%- endmacro %}
