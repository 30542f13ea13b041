{#- The body of a base model's CTE of the raw_key_hash values given more than once in
    `raw_rows` (one row per such value, as key_hash; macro repeated_values). A null key
    (a row without a key, elsewhere than DuckDB) is never repeated. -#}
{% macro repeated_key_hashes(table_name, raw_rows) -%}
    {{ repeated_values(
        raw_key_hash(table_name, 'raw_rows'), raw_rows, 'key_hash', alias='raw_rows'
    ) }}
{%- endmacro %}
