{#- Fails for every raw table whose rows are not all accounted for. -#}
{% test reconciliation_balances(model) %}

select *
from {{ model }}
where raw_rows <> accepted_rows + rejected_rows + merged_duplicate_rows

{% endtest %}
