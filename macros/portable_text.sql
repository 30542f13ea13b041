{#- Small engine-specific pieces used by the portable text parsers (parse_decimal,
    parse_integer, parse_timestamp_utc) on engines without DuckDB's try_cast. The
    patterns avoid backslashes, so they read the same in every engine's string
    literals. -#}

{#- True when the whole text matches `pattern` (anchor it with ^ and $). -#}
{% macro winback_regex_matches(text, pattern) %}
    {{ return(adapter.dispatch('winback_regex_matches', 'winback')(text, pattern)) }}
{% endmacro %}

{% macro default__winback_regex_matches(text, pattern) -%}
    ({{ text }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__winback_regex_matches(text, pattern) -%}
    regexp_matches({{ text }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__winback_regex_matches(text, pattern) -%}
    ({{ text }} rlike '{{ pattern }}')
{%- endmacro %}

{#- The first group of `pattern` in the text, or '' when it does not match. -#}
{% macro winback_regex_group(text, pattern) %}
    {{ return(adapter.dispatch('winback_regex_group', 'winback')(text, pattern)) }}
{% endmacro %}

{% macro default__winback_regex_group(text, pattern) -%}
    coalesce(substring({{ text }} from '{{ pattern }}'), '')
{%- endmacro %}

{% macro duckdb__winback_regex_group(text, pattern) -%}
    regexp_extract({{ text }}, '{{ pattern }}', 1)
{%- endmacro %}

{% macro spark__winback_regex_group(text, pattern) -%}
    regexp_extract({{ text }}, '{{ pattern }}', 1)
{%- endmacro %}

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

{#- A UTC timestamp: a valid `YYYY-MM-DD` date plus a number of microseconds. -#}
{% macro winback_date_plus_micros(date_text, micros) %}
    {{ return(adapter.dispatch('winback_date_plus_micros', 'winback')(date_text, micros)) }}
{% endmacro %}

{% macro default__winback_date_plus_micros(date_text, micros) -%}
    (cast({{ date_text }} as timestamp) + interval '1 microsecond' * ({{ micros }}))
{%- endmacro %}

{#- Counted from the epoch, so the session time zone cannot shift it (it must still be
    UTC for dates and display: see profiles.yml). -#}
{% macro spark__winback_date_plus_micros(date_text, micros) -%}
    timestamp_micros(
        unix_date(cast({{ date_text }} as date)) * 86400000000 + ({{ micros }})
    )
{%- endmacro %}

{#- A decimal number as text: sign, digits with at most one point, optional exponent.
    DuckDB's try_cast also takes `1_000`; the other engines do not. -#}
{% macro winback_number_pattern() -%}
    ^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$
{%- endmacro %}
