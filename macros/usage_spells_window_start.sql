{#- The first day of the window a run of int_usage_inactivity_episodes recomputes (macro
    usage_spells_plan), as a date literal: inactivity_days - 1 days before the last
    run's as_of_date. A spell of that run began before it: it began on an active day d
    with d + inactivity_days before the next active day, which is at most as_of_date,
    or with d + inactivity_days no later than as_of_date when it was still open. -#}
{% macro usage_spells_window_start(old_as_of) -%}
    {%- set first_day = modules.datetime.date.fromisoformat(old_as_of)
        - modules.datetime.timedelta(days=var('inactivity_days') - 1) -%}
    cast('{{ first_day.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}
