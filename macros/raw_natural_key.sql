{#- The natural key of a raw row read as `relation`, the text its base model ranks
    copies by (null when the row has no key): the cleaned event_id; for usage the
    customer and the parsed day, so two spellings of one day are one key. With `parts`,
    the expressions the key is made of instead of its text, for macro raw_key_hash: the
    trimmed event_id; for usage the trimmed customer, the parsed day, and the day's
    trimmed text when it does not parse. Trimmed, not cleaned: an empty text and a null
    then differ, but either leaves the row without a key, and a row without a key is
    never merged with another, so the rows of one key still have the same parts. -#}
{% macro raw_natural_key(table_name, relation, parts=false) %}
    {% if table_name == 'subscription_events' %}
        {{ return(['trim(' ~ relation ~ '.event_id)'] if parts
            else clean_text(relation ~ '.event_id')) }}
    {% endif %}
    {% set activity_date = relation ~ '.activity_date' %}
    {% set day = 'cast(' ~ parse_raw_timestamp_utc(
        activity_date, raw_typed_columns(table_name, 'utc')) ~ ' as date)' %}
    {% if parts %}
        {{ return([
            'trim(' ~ relation ~ '.customer_id)',
            day,
            'case when ' ~ day ~ ' is null then trim(' ~ activity_date ~ ') end',
        ]) }}
    {% endif %}
    {{ return(dbt.concat([
        clean_text(relation ~ '.customer_id'), "'|'",
        "coalesce(cast(" ~ day ~ " as " ~ dbt.type_string() ~ "), " ~ clean_text(activity_date) ~ ")",
    ])) }}
{% endmacro %}
