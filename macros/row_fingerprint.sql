{#- An aggregate: one exact number for a set of rows, the sum of a 64-bit hash of each
    row's columns. Two sets that differ in any value of any row give different numbers
    (but for a hash collision); the order of the rows does not matter. -#}
{% macro row_fingerprint(columns) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'winback')(columns)) }}
{%- endmacro %}

{% macro default__row_fingerprint(columns) -%}
    cast(sum(cast(xxhash64({{ columns | join(', ') }}) as decimal(38, 0))) as decimal(38, 0))
{%- endmacro %}

{% macro duckdb__row_fingerprint(columns) -%}
    cast(sum(hash({{ columns | join(', ') }})) as decimal(38, 0))
{%- endmacro %}

{#- The row's text form tells a null from an empty string. -#}
{% macro postgres__row_fingerprint(columns) -%}
    cast(
        sum(hashtextextended(cast(row({{ columns | join(', ') }}) as text), 0))
        as decimal(38, 0)
    )
{%- endmacro %}
