{#- The text of raw column `column` (an expression; its name, for the lookup in `typed`,
    is `name` or the part after the last dot): the column itself where it is text, and
    its value cast to text where the raw relation keeps its type (a twinned column of
    a Parquet table, listed in `typed` from `raw_typed_columns`). Used only where the text is needed (shown on a
    rejected row, ranking copies, a value that did not parse), so that the cast runs
    on those rows alone. -#}
{% macro raw_text(column, typed=[], name=none) -%}
    {%- if (name or column.split('.')[-1]) in typed -%}
        cast({{ column }} as {{ dbt.type_string() }})
    {%- else -%}
        {{ column }}
    {%- endif -%}
{%- endmacro %}
