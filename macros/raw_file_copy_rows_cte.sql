{#- When a base model reads every row of a table whose rows are numbered (Parquet on
    DuckDB), three CTEs: copy_row_numbers, the file and number of each raw row whose key
    may be given more than once (its raw_key_hash is), found from the key's columns
    alone; copy_rows, those rows read by number (macro raw_file_rows_at), which the
    model ranks by the key itself; and single_copy_rows, every other row, told from the
    copies by its number. So no row that is not a copy is converted to text or has its
    key computed a second time. Empty otherwise: the model tells the copies by their
    raw_key_hash in `raw_rows` (macro raw_file_rows). `repeated_keys` is the model's CTE
    of the raw_key_hash values given more than once, `key_column` its column. -#}
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
        '    where ' ~ raw_key_hash(table_name, 'raw_rows') ~ ' in (',
        '        select ' ~ repeated_keys ~ '.' ~ key_column ~ ' from ' ~ repeated_keys,
        '    )', '', '),', '',
        'copy_rows as (', '',
        '    select *',
        '    from ' ~ raw_file_rows_at(table_name) ~ '(copy_row_numbers)', '', '),', '',
        'single_copy_rows as (', '',
        '    select raw_rows.*',
        '    from ' ~ source('raw', table_name) ~ ' as raw_rows',
        '    left join copy_row_numbers',
        '        on',
        '            raw_rows.raw_file = copy_row_numbers.raw_file',
        '            and raw_rows.raw_row_number = copy_row_numbers.raw_row_number',
        '    where copy_row_numbers.raw_row_number is null', '', '),', '',
    ])) }}
{% endmacro %}
