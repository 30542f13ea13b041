{#- Fails for every row where the pool is smaller than the reactivations drawn from it,
    a count is negative, or the rate is not reactivated / inactive within [0, 1] (null on
    an empty pool). -#}
{% test reactivation_counts_consistent(model) %}

select *
from {{ model }}
where
    reactivated_customers > inactive_customers
    or reactivated_customers < 0
    or (inactive_customers = 0 and reactivation_rate is not null)
    or (inactive_customers > 0 and abs(
        reactivation_rate - cast(reactivated_customers as {{ ratio_type() }}) / inactive_customers
    ) > 1e-9)
    or reactivation_rate < 0
    or reactivation_rate > 1

{% endtest %}
