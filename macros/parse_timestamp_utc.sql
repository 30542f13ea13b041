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

{% macro winback_portable_parse_timestamp_utc(column) -%}
    {%- set t = 'trim(' ~ column ~ ')' -%}
    {%- set shape = '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
        ~ '([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$' -%}
    {%- set year = winback_digits_to_bigint('substr(' ~ t ~ ', 1, 4)') -%}
    {%- set month = winback_digits_to_bigint('substr(' ~ t ~ ', 6, 2)') -%}
    {%- set day = winback_digits_to_bigint('substr(' ~ t ~ ', 9, 2)') -%}
    {#- Time parts are 0 for a bare date. -#}
    {%- set hour = winback_digits_to_bigint(
        "coalesce(nullif(substr(" ~ t ~ ", 12, 2), ''), '0')") -%}
    {%- set minute = winback_digits_to_bigint(
        "coalesce(nullif(substr(" ~ t ~ ", 15, 2), ''), '0')") -%}
    {%- set second = winback_digits_to_bigint(
        "case when substr(" ~ t ~ ", 17, 1) = ':' then substr(" ~ t ~ ", 18, 2) else '0' end") -%}
    {%- set fraction = winback_digits_to_bigint(
        "rpad(substr(" ~ winback_regex_group(t, '^.{19}[.]([0-9]+)') ~ ", 1, 6), 6, '0')") -%}
    {#- The offset sits after the minutes (position 17 on); none for a bare date. -#}
    {%- set offset = winback_regex_group(
        'substr(' ~ t ~ ', 17)', '([Z]|[+-][0-9]{2}(:?[0-9]{2})?)$') -%}
    {%- set offset_minutes = "(case substr(" ~ offset ~ ", 1, 1) when '+' then 1 when '-' then -1 else 0 end)"
        ~ " * (" ~ winback_digits_to_bigint("coalesce(nullif(substr(" ~ offset ~ ", 2, 2), ''), '0')")
        ~ " * 60 + " ~ winback_digits_to_bigint(
            "coalesce(nullif(substr(replace(" ~ offset ~ ", ':', ''), 4, 2), ''), '0')") ~ ")" -%}
    case
        when {{ winback_regex_matches(t, shape) }}
            then
                case
                    when
                        {{ year }} >= 1
                        and {{ month }} between 1 and 12
                        and {{ day }} between 1 and (
                            case
                                when {{ month }} = 2
                                    then
                                        case
                                            when
                                                ({{ year }} % 4 = 0 and {{ year }} % 100 <> 0)
                                                or {{ year }} % 400 = 0
                                                then 29
                                            else 28
                                        end
                                when {{ month }} in (4, 6, 9, 11) then 30
                                else 31
                            end
                        )
                        and (
                            ({{ hour }} <= 23 and {{ minute }} <= 59 and {{ second }} <= 59)
                            or ({{ hour }} = 24 and {{ minute }} = 0 and {{ second }} = 0
                                and {{ fraction }} = 0)
                        )
                        then {{ winback_date_plus_micros(
                            'substr(' ~ t ~ ', 1, 10)',
                            '((' ~ hour ~ ' * 60 + ' ~ minute ~ ' - ' ~ offset_minutes ~ ') * 60 + '
                            ~ second ~ ') * 1000000 + ' ~ fraction
                        ) }}
                end
    end
{%- endmacro %}
