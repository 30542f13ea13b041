{#- When only some files are read (mode `files`), the first CTE of the base model: the
    raw rows of the keys to read again and the new files' rows without a key, found in
    one pass over the raw relation and kept (`materialized`) for the model's three reads
    of them. When nothing changed (mode `none`), no rows. Empty otherwise. -#}
{% macro raw_file_rows_cte(table_name) %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode not in ['files', 'none'] %}
        {{ return('') }}
    {% endif %}
    {% set key = raw_natural_key(table_name, 'raw_rows') %}
    {% set lines = [
        'raw_rows_to_read as ' ~ ('materialized ' if changes.mode == 'files' else '') ~ '(',
        '',
        '    select *',
        '    from ' ~ source('raw', table_name)
            ~ (' as raw_rows' if changes.mode == 'files' else ''),
    ] %}
    {% if changes.mode == 'none' %}
        {% do lines.append('    where false') %}
    {% else %}
        {% do lines.append('    where') %}
        {% do lines.append('        ' ~ key ~ ' in (select raw_keys.raw_key from '
            ~ raw_file_keys_relation() ~ ' as raw_keys)') %}
        {% if changes.new %}
            {% do lines.append('        or (' ~ key ~ ' is null and raw_rows.raw_file in '
                ~ raw_file_sql_list(changes.new) ~ ')') %}
        {% endif %}
    {% endif %}
    {% do lines.append('') %}
    {% do lines.append('),') %}
    {{ return(lines | join('\n')) }}
{% endmacro %}
