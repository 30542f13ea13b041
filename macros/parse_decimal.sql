{#- Text to a decimal number; null when it does not parse. -#}
{% macro parse_decimal(column, type=none) %}
    {{ return(adapter.dispatch('parse_decimal', 'winback')(column, type or money_type())) }}
{% endmacro %}

{#- The pattern keeps the spellings the same on every engine: DuckDB's try_cast alone
    would also take `1_000`. -#}
{% macro duckdb__parse_decimal(column, type) -%}
    case
        when regexp_matches(trim({{ column }}), '{{ winback_number_pattern() }}')
            then try_cast(trim({{ column }}) as {{ type }})
    end
{%- endmacro %}

{#- Postgres has no try_cast: the text must look like a number (sign, digits, one
    point, an optional exponent) and fit the type's integer digits before it is cast,
    so that a bad value becomes null instead of stopping the query. Extra decimals
    are rounded, as on DuckDB. -#}
{% macro postgres__parse_decimal(column, type) -%}
    {%- set text = 'trim(' ~ column ~ ')' -%}
    {%- set size = modules.re.search('\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)', type) -%}
    {#- The outer cast keeps the type's precision and scale on the column. -#}
    cast(case
        when {{ winback_regex_matches(text, winback_number_pattern()) }}
            then
                case
                    {%- if size %}
                    when abs(round(cast({{ text }} as numeric), {{ size.group(2) }}))
                        < 1e{{ size.group(1) | int - size.group(2) | int }}
                    {%- else %}
                    when true
                    {%- endif %}
                        then cast({{ text }} as {{ type }})
                end
    end as {{ type }})
{%- endmacro %}

{#- Spark's try_cast is null on overflow; the pattern keeps the accepted spellings the
    same as on the other engines. -#}
{% macro spark__parse_decimal(column, type) -%}
    {%- set text = 'trim(' ~ column ~ ')' -%}
    case
        when {{ winback_regex_matches(text, winback_number_pattern()) }}
            then try_cast({{ text }} as {{ type }})
    end
{%- endmacro %}
