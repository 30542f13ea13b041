{#- True unless the UTC timestamp `column` falls before 1970 or in 2100 or later: such an
    instant is a typo or a placeholder (0001-01-01, 9999-12-31), never a billing fact,
    and one of them must not stretch the history back or move the reporting date
    forward. A null is plausible (an optional timestamp may be empty). -#}
{% macro is_plausible_instant(column) -%}
    coalesce(
        {{ column }} >= cast('1970-01-01 00:00:00' as timestamp)
        and {{ column }} < cast('2100-01-01 00:00:00' as timestamp),
        true
    )
{%- endmacro %}
