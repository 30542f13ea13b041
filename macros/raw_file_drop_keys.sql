{% macro raw_file_drop_keys() %}
    {% if target.type == 'duckdb' and this is not none and is_incremental() %}
        {{ return('drop table if exists ' ~ raw_file_keys_relation()) }}
    {% endif %}
    {{ return('select 1') }}
{% endmacro %}
