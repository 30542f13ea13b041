{#- ISO 8601 text to a UTC timestamp without time zone; null when it does not parse.
    A value with an offset (Z, +02:00, -0500) is converted to UTC; one without an
    offset, or a bare date, is taken as UTC. -#}
{% macro parse_timestamp_utc(column) %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'winback')(column)) }}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(column) -%}
    case
        when regexp_matches(
            trim({{ column }}),
            '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*([Zz]|[+-]\d{2}(:?\d{2})?)$'
        )
            then timezone('UTC', try_cast(trim({{ column }}) as timestamptz))
        when regexp_matches(
            trim({{ column }}), '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$'
        )
            then try_cast(trim({{ column }}) as timestamp)
    end
{%- endmacro %}
