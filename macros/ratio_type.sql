{#- The type of rates and ratios (fractions such as NRR or a reactivation rate). -#}
{% macro ratio_type() %}
    {{ return(adapter.dispatch('ratio_type', 'winback')()) }}
{% endmacro %}

{% macro default__ratio_type() -%}
    double precision
{%- endmacro %}

{% macro spark__ratio_type() -%}
    double
{%- endmacro %}
