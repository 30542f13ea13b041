{#- A raw timestamp column as a UTC timestamp: its typed twin `<column>__utc` where the
    raw table has one (the column's name is in `typed`, from `raw_typed_columns`), the
    text parsed by `parse_timestamp_utc` where it has none. The twin is null only where
    the stored value is (register_raw_tables), so a typed value is never parsed and a
    Parquet file with timestamp columns is read at the speed of the engine; its text is
    not even written. -#}
{% macro parse_raw_timestamp_utc(column, typed=[]) -%}
    {%- if column.split('.')[-1] in typed -%}
        {{ column }}__utc
    {%- else -%}
        {{ parse_timestamp_utc(column) }}
    {%- endif -%}
{%- endmacro %}
