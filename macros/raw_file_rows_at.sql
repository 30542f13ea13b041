{#- The table macro that reads only some rows of a Parquet raw table read incrementally:
    given a relation of (raw_file, raw_row_number), the rows of the raw relation with
    those numbers in those files. Made by the load hook, in `raw_schema`. -#}
{% macro raw_file_rows_at(table_name) %}
    {{ return(adapter.quote(var('raw_schema')) ~ '.' ~ adapter.quote(table_name ~ '__rows_at')) }}
{% endmacro %}
