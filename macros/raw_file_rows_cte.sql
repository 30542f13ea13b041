{#- When only some files are read (mode `files`), the first CTEs of the base model: the
    raw rows of the keys to read again and the new files' rows without a key, kept
    (`materialized`) for the model's three reads of them. They are found in one pass
    over the raw relation; for Parquet that pass reads only the key's columns and gives
    the rows' numbers, and the rows are then read by number (macro raw_file_rows_at), so
    that the other columns of the rows not read are never converted to text. When
    nothing changed (mode `none`), no rows. Empty otherwise. -#}
{% macro raw_file_rows_cte(table_name) %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode not in ['files', 'none'] %}
        {{ return('') }}
    {% endif %}
    {% if changes.mode == 'none' %}
        {{ return('\n'.join([
            'raw_rows_to_read as (', '', '    select *',
            '    from ' ~ source('raw', table_name), '    where false', '', '),',
        ])) }}
    {% endif %}
    {% set key = raw_natural_key(table_name, 'raw_rows') %}
    {% set condition = [
        '        ' ~ key ~ ' in (select raw_keys.raw_key from '
            ~ raw_file_keys_relation() ~ ' as raw_keys)',
    ] %}
    {% if changes.new %}
        {% do condition.append('        or (' ~ key ~ ' is null and raw_rows.raw_file in '
            ~ raw_file_sql_list(changes.new) ~ ')') %}
    {% endif %}
    {% if not changes.numbered %}
        {{ return('\n'.join([
            'raw_rows_to_read as materialized (', '', '    select *',
            '    from ' ~ source('raw', table_name) ~ ' as raw_rows', '    where',
        ] + condition + ['', '),'])) }}
    {% endif %}
    {{ return('\n'.join([
        'raw_row_numbers as materialized (', '',
        '    select', '        raw_rows.raw_file,', '        raw_rows.raw_row_number',
        '    from ' ~ source('raw', table_name) ~ ' as raw_rows', '    where',
    ] + condition + [
        '', '),', '',
        'raw_rows_to_read as materialized (', '', '    select *',
        '    from ' ~ raw_file_rows_at(table_name) ~ '(raw_row_numbers)', '', '),',
    ])) }}
{% endmacro %}
