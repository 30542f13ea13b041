{#- A raw timestamp column as a UTC timestamp: its typed twin `<column>__utc` where the
    raw table has one (the column's name is in `typed`, from
    `raw_typed_columns`), the text parsed by `parse_timestamp_utc` where that
    twin is null or absent. A typed value needs no parsing, so a Parquet file with
    timestamp columns is read at the speed of the engine. -#}
{% macro parse_raw_timestamp_utc(column, typed=[]) -%}
    {%- if column.split('.')[-1] in typed -%}
        coalesce({{ column }}__utc, {{ parse_timestamp_utc(column) }})
    {%- else -%}
        {{ parse_timestamp_utc(column) }}
    {%- endif -%}
{%- endmacro %}
