{#- Fails for every churn month whose cumulative curve goes down from one horizon to the
    next, goes above the cohort, or has a later point observed while an earlier one is
    not. -#}
{% test cohort_curves_never_decrease(model) %}
{%- set horizons = [30, 60, 90, 180, 365, 730] %}

select *
from {{ model }}
where
    false
    {%- for d in horizons %}
    or reactivated_customers_{{ d }}d > churned_customers
    or reactivation_rate_{{ d }}d < 0 or reactivation_rate_{{ d }}d > 1
        {%- if not loop.first %}
            {%- set p = horizons[loop.index0 - 1] %}
    or reactivated_customers_{{ d }}d < reactivated_customers_{{ p }}d
    or reactivated_arr_{{ d }}d < reactivated_arr_{{ p }}d
    or (reactivated_customers_{{ d }}d is not null and reactivated_customers_{{ p }}d is null)
        {%- endif %}
    {%- endfor %}

{% endtest %}
