{#- The natural key of a raw row read as `relation`, the text its base model ranks
    copies by (null when the row has no key): the cleaned event_id; for usage the
    customer and the parsed day, so two spellings of one day are one key. -#}
{% macro raw_natural_key(table_name, relation) %}
    {% if table_name == 'subscription_events' %}
        {{ return(clean_text(relation ~ '.event_id')) }}
    {% endif %}
    {% set activity_date = relation ~ '.activity_date' %}
    {{ return(dbt.concat([
        clean_text(relation ~ '.customer_id'), "'|'",
        "coalesce(cast(cast(" ~ parse_raw_timestamp_utc(
            activity_date, raw_typed_columns(table_name, 'utc'))
        ~ " as date) as " ~ dbt.type_string() ~ "), " ~ clean_text(activity_date) ~ ")",
    ])) }}
{% endmacro %}
