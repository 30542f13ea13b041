{#- Text to a whole number; null when it does not parse. -#}
{% macro parse_integer(column) %}
    {{ return(adapter.dispatch('parse_integer', 'winback')(column)) }}
{% endmacro %}

{#- The number pattern first, as on the other engines (DuckDB alone would take `1_000`);
    a number with decimals or an exponent is rounded half away from zero. -#}
{% macro duckdb__parse_integer(column) -%}
    case
        when regexp_matches(trim({{ column }}), '{{ winback_number_pattern() }}')
            then try_cast(round(try_cast(trim({{ column }}) as decimal(38, 6))) as {{ dbt.type_bigint() }})
    end
{%- endmacro %}

{#- As on DuckDB, a number with decimals or an exponent is rounded half away from zero;
    one outside the bigint range is null. -#}
{% macro postgres__parse_integer(column) -%}
    {%- set text = 'trim(' ~ column ~ ')' -%}
    case
        when {{ winback_regex_matches(text, winback_number_pattern()) }}
            then
                case
                    when abs(round(cast({{ text }} as numeric))) <= 9223372036854775807
                        then cast(round(cast({{ text }} as numeric)) as bigint)
                end
    end
{%- endmacro %}

{% macro spark__parse_integer(column) -%}
    {%- set text = 'trim(' ~ column ~ ')' -%}
    case
        when {{ winback_regex_matches(text, winback_number_pattern()) }}
            then try_cast(round(try_cast({{ text }} as decimal(38, 9)), 0) as bigint)
    end
{%- endmacro %}
