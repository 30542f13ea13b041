{#- The contract's timestamp columns of raw table `table_name` that also arrive typed:
    for each, the raw relation holds a column `<name>__utc` with the instant already
    in UTC (the DuckDB loader adds it for a Parquet column typed as a timestamp or a
    date). Empty while dbt only parses the project. -#}
{% macro raw_typed_timestamp_columns(table_name) %}
    {% if not execute %}
        {{ return([]) }}
    {% endif %}
    {% set relation = adapter.get_relation(
        database=target.database, schema=var('raw_schema'), identifier=table_name) %}
    {% if relation is none %}
        {{ return([]) }}
    {% endif %}
    {% set typed = [] %}
    {% for column in adapter.get_columns_in_relation(relation) %}
        {% if (column.name | lower).endswith('__utc') %}
            {% do typed.append((column.name | lower)[:-5]) %}
        {% endif %}
    {% endfor %}
    {{ return(typed) }}
{% endmacro %}
