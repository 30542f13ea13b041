{#- Per raw table read incrementally by file (macro raw_file_materialization): the
    seeds its base model reads and the column holding the natural key in the base
    model, none for a table read whole again when any of its files changed (customers);
    none for the other raw tables. -#}
{% macro raw_file_table(table_name) %}
    {% set tables = {
        'subscription_events': {
            'seeds': ['event_type_aliases', 'billing_period_aliases', 'currencies'],
            'stored_key': 'event_id',
        },
        'product_usage': {'seeds': [], 'stored_key': 'source_key'},
        'customers': {'seeds': ['segment_aliases'], 'stored_key': none},
    } %}
    {{ return(tables.get(table_name)) }}
{% endmacro %}
