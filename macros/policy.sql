{#- The counting rules that billing-analytics tools differ on, and the presets that
    reproduce each tool. `policy(name)` is the value in force for one rule: the rule
    var when it is set, otherwise the value of the preset named by `policy_preset`.
    Each rule is applied in one place:
    - cancellation_recognition: int_subscription_events_recognised;
    - pause_treatment: int_subscription_events_recognised (keep_arr);
      classify_arr_movement and reactivation_pool_bounds (churn_without_reactivation);
    - reactivation_rule: reactivation_window_bounds;
    - short_lived_customers: int_arr_movements_classified;
    - fx_valuation: int_customer_currency_deltas.
    The presets are in `policy_presets`, the values each rule accepts in
    `policy_rule_values`. -#}
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
