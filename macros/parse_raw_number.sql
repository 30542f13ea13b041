{#- A raw amount (`parse_decimal`, the money type) or, with `integer`, a raw count
    (`parse_integer`): its typed twin `<column>__number` where the raw table has one
    (the column's name is in `typed`, from `raw_typed_columns`), the text parsed where
    that twin is null or absent. The twin holds what the text's parse gives, without
    the parse. -#}
{% macro parse_raw_number(column, typed=[], integer=false) -%}
    {%- set parsed = parse_integer(column) if integer else parse_decimal(column) -%}
    {%- if column.split('.')[-1] in typed -%}
        coalesce({{ column }}__number, {{ parsed }})
    {%- else -%}
        {{ parsed }}
    {%- endif -%}
{%- endmacro %}
