{#- A raw amount (`parse_decimal`, the money type) or, with `integer`, a raw count
    (`parse_integer`): its typed twin `<column>__number` where the raw table has one
    (the column's name is in `typed`, from `raw_typed_columns`), the text parsed where
    it has none. The twin holds what the text's parse gives, without the parse, and is
    null only where the stored value is (register_raw_tables twins only the types
    whose every value fits). -#}
{% macro parse_raw_number(column, typed=[], integer=false) -%}
    {%- if column.split('.')[-1] in typed -%}
        {{ column }}__number
    {%- else -%}
        {{ parse_integer(column) if integer else parse_decimal(column) }}
    {%- endif -%}
{%- endmacro %}
