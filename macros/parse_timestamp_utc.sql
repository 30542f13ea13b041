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

{#- Engines without try_cast (Postgres) or with a different timestamp reader (Spark):
    the text must have the ISO 8601 shape, and its parts must make a real date and
    time (2024-02-30 or 25:00 are null, never an error), before anything is cast. The
    instant is then built from the date plus the time of day minus the offset, in
    microseconds, so every engine reads the same values as DuckDB: `Z` or `+hh[:mm]`
    offsets, fractions truncated to microseconds, 24:00 as the next midnight. A bad
    value becomes null and is rejected by staging. -#}
{% macro postgres__parse_timestamp_utc(column) -%}
    {{ winback_portable_parse_timestamp_utc(column) }}
{%- endmacro %}

{% macro spark__parse_timestamp_utc(column) -%}
    {{ winback_portable_parse_timestamp_utc(column) }}
{%- endmacro %}
