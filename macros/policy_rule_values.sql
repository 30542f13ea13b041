{#- The values each rule var accepts. -#}
{% macro policy_rule_values() -%}
    {{ return({
        'cancellation_recognition': ['period_end', 'request'],
        'pause_treatment': ['churn', 'keep_arr', 'churn_without_reactivation'],
        'reactivation_rule': ['within_months', 'within_days', 'after_full_month_at_zero', 'any'],
        'short_lived_customers': ['include', 'exclude'],
        'fx_valuation': ['period_end', 'service_start'],
    }) }}
{%- endmacro %}
