{#- The presets: the value each gives every counting rule (macro `policy`). -#}
{% macro policy_presets() -%}
    {{ return({
        'winback': {
            'cancellation_recognition': 'period_end',
            'pause_treatment': 'churn',
            'reactivation_rule': 'within_months',
            'short_lived_customers': 'include',
            'fx_valuation': 'period_end',
        },
        'chartmogul': {
            'cancellation_recognition': 'period_end',
            'pause_treatment': 'keep_arr',
            'reactivation_rule': 'any',
            'short_lived_customers': 'include',
            'fx_valuation': 'service_start',
        },
        'stripe': {
            'cancellation_recognition': 'request',
            'pause_treatment': 'churn',
            'reactivation_rule': 'any',
            'short_lived_customers': 'include',
            'fx_valuation': 'period_end',
        },
        'baremetrics': {
            'cancellation_recognition': 'period_end',
            'pause_treatment': 'churn',
            'reactivation_rule': 'any',
            'short_lived_customers': 'include',
            'fx_valuation': 'period_end',
        },
        'profitwell': {
            'cancellation_recognition': 'period_end',
            'pause_treatment': 'churn',
            'reactivation_rule': 'any',
            'short_lived_customers': 'exclude',
            'fx_valuation': 'service_start',
        },
    }) }}
{%- endmacro %}
