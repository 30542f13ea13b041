{#- The text of raw column `column` (an expression; its name, for the lookup in the
    twin lists, is `name` or the part after the last dot): the column itself, or where
    the raw table has a typed twin of it (`typed` for `__utc`, `typed_numbers` for
    `__number`, from `raw_typed_columns`), whose text the raw relation leaves null, the
    twin's value as text: `value` (the parsed column, which is the twin) or the twin
    beside `column`. Used only where the text is needed (shown on a rejected row,
    ranking copies, a value that did not parse), so that the cast runs on those rows
    alone. -#}
{% macro raw_text(column, typed=[], typed_numbers=[], name=none, value=none) -%}
    {%- set column_name = name or column.split('.')[-1] -%}
    {%- if column_name in typed or column_name in typed_numbers -%}
        coalesce({{ column }}, cast({{ value or column ~ ('__utc' if column_name in typed else '__number') }} as {{ dbt.type_string() }}))
    {%- else -%}
        {{ column }}
    {%- endif -%}
{%- endmacro %}
