{#- Fails for every churn episode whose return does not fit: a reactivation after the
    churn with ARR, days to reactivation matching the dates, a second-churn flag only
    on reactivated customers. -#}
{% test churn_episode_returns_consistent(model) %}

select *
from {{ model }}
where
    final_arr <= 0
    or tenure_days < 0
    or (reactivated_date is not null and not (
        reactivated_date > churn_date
        and reactivation_arr > 0
        and days_to_reactivation
        = {{ date_diff_days('churn_date', 'reactivated_date') }}
    ))
    or (
        reactivated_date is null
        and (reactivation_arr is not null or days_to_reactivation is not null)
    )
    or (reactivated_date is null and is_second_churn_within_365d is not null)
    or (reactivated_date is not null and returned_as_new_date is not null)

{% endtest %}
