{#- Fails for every waterfall row where ending ARR is not starting ARR plus the
    movements plus fx_impact (to the cent), or where the customer counts do not add up. -#}
{% test arr_waterfall_balances(model) %}

select *
from {{ model }}
where
    abs(
        ending_arr - (
            starting_arr + new_arr + expansion_arr + reactivation_arr
            - contraction_arr - churned_arr + fx_impact
        )
    ) > 0.01
    or ending_customers
    <> starting_customers + new_customers + reactivated_customers - churned_customers
    or starting_arr < 0
    or ending_arr < 0
    or starting_customers < 0

{% endtest %}
