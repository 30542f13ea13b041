{#- Makes the raw tables of the contract readable as sources in `raw_schema`, and stops
    the run with a message naming the file and column when the raw data breaks the
    contract. Runs as an on-run-start hook. -#}
{% macro register_raw_tables() %}
    {{ return(adapter.dispatch('register_raw_tables', 'winback')()) }}
{% endmacro %}

{#- On DuckDB the raw tables are files in `raw_data_dir`: one view per table, every
    column as text, so that staging decides what parses and what is rejected. -#}
{% macro duckdb__register_raw_tables() %}
    {% if execute %}
        {% set raw_dir = (var('raw_data_dir') | string).rstrip('/') %}
        {% set raw_schema = var('raw_schema') %}
        {% do run_query('create schema if not exists ' ~ adapter.quote(raw_schema)) %}
        {% for table_name, columns in raw_contract().items() %}
            {% set found_file = namespace(reader=none) %}
            {% for extension in ['csv', 'parquet'] %}
                {% set path = raw_dir ~ '/' ~ table_name ~ '.' ~ extension %}
                {% set found = run_query("select count(*) from glob('" ~ path.replace("'", "''") ~ "')") %}
                {% if found_file.reader is none and found.columns[0].values()[0] > 0 %}
                    {% if extension == 'csv' %}
                        {% set found_file.reader = "read_csv('" ~ path.replace("'", "''") ~ "', header = true, all_varchar = true)" %}
                    {% else %}
                        {% set found_file.reader = "read_parquet('" ~ path.replace("'", "''") ~ "')" %}
                    {% endif %}
                {% endif %}
            {% endfor %}
            {% set reader = found_file.reader %}
            {% if reader is none %}
                {{ exceptions.raise_compiler_error(
                    "winback raw contract: no file " ~ table_name ~ ".csv or " ~ table_name
                    ~ ".parquet in raw_data_dir '" ~ raw_dir ~ "'. Every table of the contract"
                    ~ " must exist; an optional one may hold only its header row."
                ) }}
            {% endif %}
            {% set described = run_query('describe select * from ' ~ reader) %}
            {% set present = {} %}
            {% for row in described.rows %}
                {% do present.update({row[0] | lower: row[0]}) %}
            {% endfor %}
            {% set select_list = [] %}
            {% for column_name, must_exist in columns.items() %}
                {% if column_name in present %}
                    {% do select_list.append(
                        'cast(' ~ adapter.quote(present[column_name]) ~ ' as varchar) as ' ~ column_name
                    ) %}
                {% elif must_exist %}
                    {{ exceptions.raise_compiler_error(
                        "winback raw contract: file " ~ raw_dir ~ "/" ~ table_name
                        ~ " has no column '" ~ column_name ~ "' (columns found: "
                        ~ (present.keys() | list | sort | join(', ')) ~ ")."
                    ) }}
                {% else %}
                    {% do log("winback raw contract: " ~ table_name ~ " has no column '"
                        ~ column_name ~ "'; it is read as empty.", info=true) %}
                    {% do select_list.append('cast(null as varchar) as ' ~ column_name) %}
                {% endif %}
            {% endfor %}
            {% do run_query(
                'create or replace view ' ~ adapter.quote(raw_schema) ~ '.' ~ table_name
                ~ ' as select ' ~ select_list | join(', ') ~ ' from ' ~ reader
            ) %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}

{#- Elsewhere the raw tables already live in `raw_schema`: check that each one exists
    and has the contract's columns. -#}
{% macro default__register_raw_tables() %}
    {% if execute %}
        {% for table_name, columns in raw_contract().items() %}
            {% set relation = adapter.get_relation(
                database=target.database, schema=var('raw_schema'), identifier=table_name) %}
            {% if relation is none %}
                {{ exceptions.raise_compiler_error(
                    "winback raw contract: no table " ~ var('raw_schema') ~ "." ~ table_name ~ "."
                ) }}
            {% endif %}
            {% set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list %}
            {% for column_name, must_exist in columns.items() %}
                {% if must_exist and column_name not in present %}
                    {{ exceptions.raise_compiler_error(
                        "winback raw contract: table " ~ var('raw_schema') ~ "." ~ table_name
                        ~ " has no column '" ~ column_name ~ "'."
                    ) }}
                {% endif %}
            {% endfor %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
