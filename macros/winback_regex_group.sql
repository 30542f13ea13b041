{#- The first group of `pattern` in the text, or '' when it does not match. -#}
{% macro winback_regex_group(text, pattern) %}
    {{ return(adapter.dispatch('winback_regex_group', 'winback')(text, pattern)) }}
{% endmacro %}

{% macro default__winback_regex_group(text, pattern) %}
    {{ exceptions.raise_compiler_error(
        "winback: no regular-expression group for the adapter '" ~ adapter.type() ~ "'; add a "
        ~ adapter.type() ~ "__winback_regex_group macro"
    ) }}
{% endmacro %}

{% macro postgres__winback_regex_group(text, pattern) -%}
    coalesce(substring({{ text }} from '{{ pattern }}'), '')
{%- endmacro %}

{% macro duckdb__winback_regex_group(text, pattern) -%}
    regexp_extract({{ text }}, '{{ pattern }}', 1)
{%- endmacro %}

{% macro spark__winback_regex_group(text, pattern) -%}
    regexp_extract({{ text }}, '{{ pattern }}', 1)
{%- endmacro %}
