{#- What a base model read by file stores for a raw row's natural key (the column macro
    raw_file_table names), from the row read as `relation`, or from `key`, the key's
    text already computed: the key itself (the event_id, null without one), or, for a
    key built for the purpose (usage: the customer and the day), a hash of it (macro
    stored_key_hash), which costs far less to write than the text. The rows of one key
    share it; two keys sharing a hash are only read again together. -#}
{% macro raw_stored_key(table_name, relation, key=none) %}
    {% set key = key if key is not none else raw_natural_key(table_name, relation) %}
    {{ return(stored_key_hash(key) if raw_file_table(table_name).key_is_hashed else key) }}
{% endmacro %}
