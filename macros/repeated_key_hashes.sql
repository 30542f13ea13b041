{#- The body of a base model's CTE of the raw_key_hash values given more than once in
    `raw_rows` (one row per such value): the hashes in order, each compared with the one
    before it. At millions of rows nearly every hash is unique, and a sort of one column
    finds the few repeated ones faster than an aggregate holding a group for each. A null
    key (a row without a key, elsewhere than DuckDB) is never repeated. -#}
{% macro repeated_key_hashes(table_name, raw_rows) -%}
    select distinct ordered_keys.key_hash
    from (
        select
            hashed_keys.key_hash,
            lag(hashed_keys.key_hash) over (order by hashed_keys.key_hash) as previous_key_hash
        from (
            select {{ raw_key_hash(table_name, 'raw_rows') }} as key_hash
            from {{ raw_rows }} as raw_rows
        ) as hashed_keys
    ) as ordered_keys
    where ordered_keys.key_hash = ordered_keys.previous_key_hash
{%- endmacro %}
