{#- The contract's columns of raw table `table_name` that also arrive typed, with a
    twin `<name>__<twin>` in the raw relation: `utc` for a timestamp, the instant
    already in UTC; `number` for an amount or a count, already in the type staging
    gives it (the DuckDB loader adds both for Parquet columns stored in such a type).
    Empty while dbt only parses the project. -#}
{% macro raw_typed_columns(table_name, twin) %}
    {% if not execute %}
        {{ return([]) }}
    {% endif %}
    {% set relation = adapter.get_relation(
        database=target.database, schema=var('raw_schema'), identifier=table_name) %}
    {% if relation is none %}
        {{ return([]) }}
    {% endif %}
    {% set suffix = '__' ~ twin %}
    {% set typed = [] %}
    {% for column in adapter.get_columns_in_relation(relation) %}
        {% if (column.name | lower).endswith(suffix) %}
            {% do typed.append((column.name | lower)[:-(suffix | length)]) %}
        {% endif %}
    {% endfor %}
    {{ return(typed) }}
{% endmacro %}
