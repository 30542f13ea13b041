{#- Whether an event counts in the history up to as_of_date, written once: it has taken
    effect on or before that day (int_subscription_events_dated; int_churn_episodes for
    the events with a discount). `events` and `reporting_dates` name the relations. -#}
{% macro is_event_in_history(events='events', reporting_dates='reporting_dates') -%}
    {{ events }}.effective_date <= {{ reporting_dates }}.as_of_date
{%- endmacro %}
