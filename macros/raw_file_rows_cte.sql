{#- When only some files are read (mode `files`), the first CTEs of the base model: the
    raw rows of the keys to read again and the new files' rows without a key, kept
    (`materialized`) for the model's three reads of them. For Parquet they are the
    table's own rows of those keys, by file and number (macro raw_file_find_key_rows),
    and every row of the new files, read by number (macro raw_file_rows_at): neither
    the key of a raw row nor the other columns of the rows not read are computed.
    Otherwise they are found in one pass over the raw relation (and one over the new
    files for the keyless rows). When nothing changed (mode `none`), no rows. Empty
    otherwise. -#}
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
    {% set stored_key = raw_stored_key(table_name, 'raw_rows') %}
    {% set select = '    select *' if not changes.numbered else
        '    select\n        raw_rows.raw_file,\n        raw_rows.raw_row_number' %}
    {#- Numbered: the table's rows of the keys (macro raw_file_find_key_rows) and every
        row of the new files, whose keys are all among them, so no key is computed.
        Otherwise two selects rather than one `or`, so that the key is computed once a
        row and the keyless rows are looked for in the new files only (one select where
        the key is stored as a hash: see below). -#}
    {% if changes.numbered %}
        {% set selects = [
            ['    select',
             '        key_rows.raw_file,',
             '        key_rows.raw_row_number',
             '    from ' ~ raw_file_keys_relation(rows=true) ~ ' as key_rows'],
        ] %}
        {% if changes.new %}
            {% do selects.append(
                [select,
                 '    from ' ~ source('raw', table_name) ~ ' as raw_rows',
                 '    where raw_rows.raw_file in ' ~ raw_file_sql_list(changes.new)]) %}
        {% endif %}
    {% else %}
        {% set selects = [
            [select,
             '    from ' ~ source('raw', table_name) ~ ' as raw_rows',
             '    where',
             '        ' ~ stored_key ~ ' in (select raw_keys.raw_key from '
                ~ raw_file_keys_relation() ~ ' as raw_keys)'],
        ] %}
    {% endif %}
    {#- Where the key is stored as a hash, keyless rows share the hash of null, so the
        first select already reads them (with every other keyless row) when a new file
        holds one. -#}
    {% if changes.new and not changes.numbered and not raw_file_table(table_name).key_is_hashed %}
        {% do selects.append(
            [select,
             '    from ' ~ source('raw', table_name) ~ ' as raw_rows',
             '    where',
             '        raw_rows.raw_file in ' ~ raw_file_sql_list(changes.new),
             '        and ' ~ key ~ ' is null']) %}
    {% endif %}
    {% set found = [] %}
    {% for lines in selects %}
        {% do found.extend((['', '    union all', ''] if not loop.first else []) + lines) %}
    {% endfor %}
    {% if not changes.numbered %}
        {{ return('\n'.join(['raw_rows_to_read as materialized (', ''] + found + ['', '),'])) }}
    {% endif %}
    {#- raw_row_numbers is read by the table macro (through query_table), which sqlfluff
        cannot see, so its unused-CTE rule (ST03) is silenced on that one line. -#}
    {{ return('\n'.join(['raw_row_numbers as materialized (  -- noqa: ST03', ''] + found + [
        '', '),', '',
        'raw_rows_to_read as materialized (', '', '    select *',
        '    from ' ~ raw_file_rows_at(table_name) ~ '(raw_row_numbers)', '', '),',
    ])) }}
{% endmacro %}
