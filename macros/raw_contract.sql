{#- The raw input contract (v1): per table, its columns and whether the column must be
    present in the file. Columns that may be absent are read as empty. -#}
{% macro raw_contract() %}
    {{ return({
        'subscription_events': {
            'event_id': true, 'customer_id': true, 'subscription_id': true,
            'event_type': true, 'effective_at': true, 'occurred_at': false,
            'plan_id': false, 'billing_period': true, 'amount': true, 'currency': true,
            'discount_pct': false, 'churn_reason': false,
            'churn_reason_secondary': false, 'ingested_at': false,
        },
        'customers': {
            'customer_id': true, 'customer_name': false, 'email': false,
            'segment': true, 'country': false, 'created_at': false,
        },
        'product_usage': {
            'customer_id': true, 'activity_date': true, 'active_users': false,
            'events_count': false,
        },
        'campaigns': {
            'campaign_id': true, 'campaign_name': false, 'campaign_type': true,
            'channel': false, 'target_segment': false, 'started_at': true,
            'ended_at': false, 'cost': true, 'currency': true,
        },
        'campaign_members': {
            'campaign_id': true, 'customer_id': true, 'member_group': true,
            'assigned_at': true, 'touched_at': false, 'responded_at': false,
        },
        'fx_rates': {
            'rate_date': true, 'currency': true, 'rate_to_reporting': true,
        },
        'acquisition_spend': {
            'month': true, 'channel': false, 'spend': true, 'currency': true,
        },
    }) }}
{% endmacro %}
