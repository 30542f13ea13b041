{#- Stops the run with a message naming the var when a policy var has a bad value. -#}
{% macro validate_vars() %}
    {% set problems = [] %}

    {% if var('movement_grain') not in ['day', 'month'] %}
        {% do problems.append("movement_grain must be 'day' or 'month', got '" ~ var('movement_grain') ~ "'") %}
    {% endif %}

    {% set window = var('reactivation_window_months') %}
    {% if window is not none and not (window is integer and window >= 0) %}
        {% do problems.append("reactivation_window_months must be a whole number of months >= 0 or null, got '" ~ window ~ "'") %}
    {% endif %}

    {% for name in ['inactivity_days', 'attribution_window_days'] %}
        {% set value = var(name) %}
        {% if not (value is integer and value > 0) %}
            {% do problems.append(name ~ " must be a whole number of days > 0, got '" ~ value ~ "'") %}
        {% endif %}
    {% endfor %}

    {% for name in ['pre_churn_active_days', 'pre_churn_low_days'] %}
        {% set value = var(name) %}
        {% if not (value is integer and value >= 0 and value <= 90) %}
            {% do problems.append(name ~ " must be a whole number of days from 0 to 90, got '" ~ value ~ "'") %}
        {% endif %}
    {% endfor %}
    {% if var('pre_churn_low_days') is integer and var('pre_churn_active_days') is integer
        and var('pre_churn_low_days') > var('pre_churn_active_days') %}
        {% do problems.append("pre_churn_low_days must not exceed pre_churn_active_days") %}
    {% endif %}

    {% set strength = var('winback_prior_strength') %}
    {% if not (strength is number and strength > 0) %}
        {% do problems.append("winback_prior_strength must be a number > 0, got '" ~ strength ~ "'") %}
    {% endif %}

    {% set rate = var('target_reactivation_rate') %}
    {% if not (rate is number and rate >= 0 and rate <= 1) %}
        {% do problems.append("target_reactivation_rate must be a fraction between 0 and 1, got '" ~ rate ~ "'") %}
    {% endif %}

    {% set currency = var('reporting_currency') | string %}
    {% if not modules.re.match('^[A-Za-z]{3}$', currency) %}
        {% do problems.append("reporting_currency must be an ISO 4217 code such as USD, got '" ~ currency ~ "'") %}
    {% endif %}

    {% set as_of = var('as_of_date') %}
    {% if as_of is not none and not is_iso_date(as_of | string) %}
        {% do problems.append("as_of_date must be a date written YYYY-MM-DD, got '" ~ as_of ~ "'") %}
    {% endif %}

    {% set presets = policy_presets() %}
    {% if var('policy_preset') not in presets %}
        {% do problems.append("policy_preset must be one of " ~ presets.keys() | list | join(', ') ~ ", got '" ~ var('policy_preset') ~ "'") %}
    {% endif %}
    {% for name, allowed in policy_rule_values().items() %}
        {% set value = var(name) %}
        {% if value is not none and value not in allowed %}
            {% do problems.append(name ~ " must be one of " ~ allowed | join(', ') ~ " (or null: the preset's value), got '" ~ value ~ "'") %}
        {% endif %}
    {% endfor %}
    {% set window_days = var('reactivation_window_days') %}
    {% if not (window_days is integer and window_days >= 0) %}
        {% do problems.append("reactivation_window_days must be a whole number of days >= 0, got '" ~ window_days ~ "'") %}
    {% endif %}

    {% if problems %}
        {{ exceptions.raise_compiler_error("winback vars: " ~ problems | join('; ')) }}
    {% endif %}
    {% if execute %}
        {% set rules = [] %}
        {% for name in policy_rule_values().keys() %}
            {% do rules.append(name ~ "=" ~ policy(name)) %}
        {% endfor %}
        {{ log("winback policy (preset " ~ var('policy_preset') ~ "): " ~ rules | join(', '), info=True) }}
    {% endif %}
    select 1
{% endmacro %}
