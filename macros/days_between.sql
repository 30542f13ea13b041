{#- A query with one row, `date_day`, for every day from `start_column` through
    `end_column` (both included) of each row of `relation`; none where either is null.
    The bounds are columns, not constants, so a calendar drawn from the data needs no
    query at compile time. -#}
{% macro days_between(relation, start_column, end_column) %}
    {{ return(adapter.dispatch('days_between', 'winback')(relation, start_column, end_column)) }}
{% endmacro %}

{#- Any engine: offsets 0 to 999,999 days (over 2,700 years) from ten-row digit tables. -#}
{% macro default__days_between(relation, start_column, end_column) %}
    {%- set digits = "(select 0 as d union all select 1 union all select 2 union all select 3"
        ~ " union all select 4 union all select 5 union all select 6 union all select 7"
        ~ " union all select 8 union all select 9)" %}
    select
        cast({{ dbt.dateadd('day', 'offsets.day_offset', relation ~ '.' ~ start_column) }} as date)
            as date_day
    from {{ relation }}
    inner join (
        select
            {%- for power in range(6) %}
            d{{ power }}.d * {{ 10 ** power }}{{ ' +' if not loop.last }}
            {%- endfor %} as day_offset
        from
            {%- for power in range(6) %}
            {{ digits }} as d{{ power }}{{ ',' if not loop.last }}
            {%- endfor %}
    ) as offsets
        on offsets.day_offset <= {{ date_diff_days(
            relation ~ '.' ~ start_column, relation ~ '.' ~ end_column
        ) }}
{% endmacro %}

{% macro duckdb__days_between(relation, start_column, end_column) %}
    {{ winback.postgres__days_between(relation, start_column, end_column) }}
{% endmacro %}

{% macro postgres__days_between(relation, start_column, end_column) %}
    select cast(spine_days.day_at as date) as date_day
    from {{ relation }}
    cross join lateral generate_series(
        cast({{ relation }}.{{ start_column }} as timestamp),
        cast({{ relation }}.{{ end_column }} as timestamp),
        interval '1 day'
    ) as spine_days (day_at)
{% endmacro %}

{% macro spark__days_between(relation, start_column, end_column) %}
    select explode(sequence(
        cast({{ relation }}.{{ start_column }} as date),
        cast({{ relation }}.{{ end_column }} as date),
        interval 1 day
    )) as date_day
    from {{ relation }}
{% endmacro %}
