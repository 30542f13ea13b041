{#- Fails for every attributed reactivation whose touch is after the reactivation date
    or more than attribution_window_days before it, whose days_from_touch does not lead
    from the touch to the reactivation, or that is not a reactivation (no ARR, or a date
    before the churn). -#}
{% test attribution_within_window(model) %}

select *
from {{ model }}
where
    touched_date > reactivation_date
    -- counted forward from the touch, not by the difference the model takes
    or {{ dbt.dateadd('day', 'days_from_touch', 'touched_date') | trim }} <> reactivation_date
    or days_from_touch > {{ var('attribution_window_days') }}
    or days_from_touch < 0
    or reactivation_date <= churn_date
    or reactivation_arr <= 0
    or realised_revenue < 0

{% endtest %}
