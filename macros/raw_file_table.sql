{#- Per raw table read incrementally by file (macro raw_file_materialization): the
    seeds its base model reads and the column holding the natural key in the base
    model; none for the other raw tables. -#}
{% macro raw_file_table(table_name) %}
    {% set tables = {
        'subscription_events': {
            'seeds': ['event_type_aliases', 'billing_period_aliases', 'currencies'],
            'stored_key': 'event_id',
        },
        'product_usage': {'seeds': [], 'stored_key': 'source_key'},
    } %}
    {{ return(tables.get(table_name)) }}
{% endmacro %}
