{% macro raw_file_drop_keys(rows=false) %}
    {% if target.type == 'duckdb' and this is not none and is_incremental() %}
        {{ return('drop table if exists ' ~ raw_file_keys_relation(rows=rows)) }}
    {% endif %}
    {{ return('select 1') }}
{% endmacro %}
