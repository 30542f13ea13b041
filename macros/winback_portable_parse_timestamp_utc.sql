{#- ISO 8601 text to a UTC timestamp with only regular expressions, substrings and
    integer arithmetic, for engines without DuckDB's try_cast: the shape is checked
    first, then the date, the time of day and the offset are read and combined; text of
    another shape, or an impossible date or time, gives null. -#}
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
