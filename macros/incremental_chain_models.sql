{#- The models that the state of the incremental chain belongs to: it is saved when a
    run built all of them. -#}
{% macro incremental_chain_models() -%}
    {{ return([
        'int_incremental_fingerprints', 'int_customers_to_rebuild', 'int_customers_segmented',
        'int_subscription_events_dated', 'int_customer_currency_deltas',
        'int_customer_arr_changes', 'int_arr_movements_classified',
        'int_churn_episodes', 'int_churn_usage_before',
    ]) }}
{%- endmacro %}
