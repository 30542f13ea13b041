{#- Fails for every attributed reactivation whose touch is after the reactivation date
    or more than attribution_window_days before it, whose days_from_touch does not match
    the dates, or that is not a reactivation (no ARR, or a date before the churn). -#}
{% test attribution_within_window(model) %}

select *
from {{ model }}
where
    touched_date > reactivation_date
    or days_from_touch
    <> {{ date_diff_days('touched_date', 'reactivation_date') }}
    or days_from_touch > {{ var('attribution_window_days') }}
    or days_from_touch < 0
    or reactivation_date <= churn_date
    or reactivation_arr <= 0
    or realised_revenue < 0

{% endtest %}
