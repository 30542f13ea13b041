{#- Per raw table read incrementally by file (macro raw_file_materialization): the
    seeds its base model reads, the column of the base model that holds each row's
    natural key (macro raw_stored_key), none for a table read whole again when any of
    its files changed (customers), and whether that column holds a hash of the key;
    none for the other raw tables. -#}
{% macro raw_file_table(table_name) %}
    {% set tables = {
        'subscription_events': {
            'seeds': ['event_type_aliases', 'billing_period_aliases', 'currencies'],
            'stored_key': 'event_id',
            'key_is_hashed': false,
        },
        'product_usage': {'seeds': [], 'stored_key': 'source_key_hash', 'key_is_hashed': true},
        'customers': {'seeds': ['segment_aliases'], 'stored_key': none, 'key_is_hashed': false},
    } %}
    {{ return(tables.get(table_name)) }}
{% endmacro %}
