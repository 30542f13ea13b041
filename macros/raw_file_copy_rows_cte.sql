{#- When a base model reads every row of a table whose rows are numbered (Parquet on
    DuckDB), two CTEs: copy_row_numbers, the file and number of each raw row whose key
    is given more than once, found from the key's columns alone, and copy_rows, those
    rows read by number (macro raw_file_rows_at). The model ranks copy_rows and tells
    the other rows by their number, so that no other row is converted to text or has
    its key computed a second time. Empty otherwise: the model finds the copies by their
    key in `raw_rows` (macro raw_file_rows). `repeated_keys` is the model's CTE of the
    keys given more than once, `key_column` its column. -#}
{% macro raw_file_copy_rows_cte(table_name, raw_rows, repeated_keys, key_column) %}
    {% set reads_every_row = (raw_rows | string) == (source('raw', table_name) | string) %}
    {% if not (reads_every_row and raw_file_changes(table_name).numbered) %}
        {{ return('') }}
    {% endif %}
    {{ return('\n'.join([
        'copy_row_numbers as materialized (', '',
        '    select',
        '        raw_rows.raw_file,',
        '        raw_rows.raw_row_number',
        '    from ' ~ source('raw', table_name) ~ ' as raw_rows',
        '    where ' ~ raw_natural_key(table_name, 'raw_rows') ~ ' in (',
        '        select ' ~ repeated_keys ~ '.' ~ key_column ~ ' from ' ~ repeated_keys,
        '    )', '', '),', '',
        'copy_rows as (', '',
        '    select *',
        '    from ' ~ raw_file_rows_at(table_name) ~ '(copy_row_numbers)', '', '),', '',
    ])) }}
{% endmacro %}
