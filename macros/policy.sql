{#- The counting rules that billing-analytics tools differ on, and the presets that
    reproduce each tool. `policy(name)` is the value in force for one rule: the rule
    var when it is set, otherwise the value of the preset named by `policy_preset`.
    Each rule is applied in one place:
    - cancellation_recognition: int_subscription_events_recognised;
    - pause_treatment: int_subscription_events_recognised (keep_arr) and
      is_within_reactivation_window / is_in_reactivation_pool (churn_without_reactivation);
    - reactivation_rule: is_within_reactivation_window;
    - short_lived_customers: int_arr_movements_classified;
    - fx_valuation: int_customer_currency_deltas. -#}
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
            'fx_valuation': 'period_end',
        },
    }) }}
{%- endmacro %}

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

{% macro policy(name) -%}
    {%- set explicit = var(name) -%}
    {%- if explicit is not none -%}
        {{ return(explicit) }}
    {%- endif -%}
    {%- set presets = policy_presets() -%}
    {%- set preset = var('policy_preset') -%}
    {%- if preset not in presets -%}
        {{ exceptions.raise_compiler_error(
            "winback vars: policy_preset must be one of " ~ presets.keys() | list | join(', ')
            ~ ", got '" ~ preset ~ "'"
        ) }}
    {%- endif -%}
    {{ return(presets[preset][name]) }}
{%- endmacro %}
