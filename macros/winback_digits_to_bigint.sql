{#- Digits (with an optional sign) to a bigint; only called on text already checked. -#}
{% macro winback_digits_to_bigint(text) %}
    {{ return(adapter.dispatch('winback_digits_to_bigint', 'winback')(text)) }}
{% endmacro %}

{% macro default__winback_digits_to_bigint(text) -%}
    cast({{ text }} as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro spark__winback_digits_to_bigint(text) -%}
    try_cast({{ text }} as bigint)
{%- endmacro %}
