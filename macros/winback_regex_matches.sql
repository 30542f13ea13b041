{#- True when the whole text matches `pattern` (anchor it with ^ and $). -#}
{% macro winback_regex_matches(text, pattern) %}
    {{ return(adapter.dispatch('winback_regex_matches', 'winback')(text, pattern)) }}
{% endmacro %}

{% macro default__winback_regex_matches(text, pattern) %}
    {{ exceptions.raise_compiler_error(
        "winback: no regular-expression match for the adapter '" ~ adapter.type() ~ "'; add a "
        ~ adapter.type() ~ "__winback_regex_matches macro"
    ) }}
{% endmacro %}

{% macro postgres__winback_regex_matches(text, pattern) -%}
    ({{ text }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__winback_regex_matches(text, pattern) -%}
    regexp_matches({{ text }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__winback_regex_matches(text, pattern) -%}
    ({{ text }} rlike '{{ pattern }}')
{%- endmacro %}
