{#- A UTC timestamp: a valid `YYYY-MM-DD` date plus a number of microseconds. -#}
{% macro winback_date_plus_micros(date_text, micros) %}
    {{ return(adapter.dispatch('winback_date_plus_micros', 'winback')(date_text, micros)) }}
{% endmacro %}

{% macro default__winback_date_plus_micros(date_text, micros) %}
    {{ exceptions.raise_compiler_error(
        "winback: no timestamp arithmetic in microseconds for the adapter '" ~ adapter.type() ~ "'; add a "
        ~ adapter.type() ~ "__winback_date_plus_micros macro"
    ) }}
{% endmacro %}

{% macro postgres__winback_date_plus_micros(date_text, micros) -%}
    (cast({{ date_text }} as timestamp) + interval '1 microsecond' * ({{ micros }}))
{%- endmacro %}

{#- Counted from the epoch, so the session time zone cannot shift it (it must still be
    UTC for dates and display: see profiles.yml). -#}
{% macro spark__winback_date_plus_micros(date_text, micros) -%}
    timestamp_micros(
        unix_date(cast({{ date_text }} as date)) * 86400000000 + ({{ micros }})
    )
{%- endmacro %}
