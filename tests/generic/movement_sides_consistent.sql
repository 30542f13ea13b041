{#- Fails for every movement whose type does not match its two sides: new and
    reactivation start from 0, churn ends at 0, expansion and contraction stay above 0,
    and arr_change is after − before. -#}
{% test movement_sides_consistent(model) %}

select *
from {{ model }}
where
    arr_before < 0
    or arr_after < 0
    or arr_change <> arr_after - arr_before
    or (movement_type in ('new', 'reactivation') and not (arr_before = 0 and arr_after > 0))
    or (movement_type = 'churn' and not (arr_before > 0 and arr_after = 0))
    or (movement_type = 'expansion' and not (arr_before > 0 and arr_after > arr_before))
    or (movement_type = 'contraction' and not (arr_after > 0 and arr_after < arr_before))
    or (movement_type = 'churn' and churn_reason_category is null)
    or (movement_type <> 'churn' and churn_reason_category is not null)

{% endtest %}
