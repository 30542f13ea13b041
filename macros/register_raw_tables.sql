{#- Makes the raw tables of the contract readable as sources in `raw_schema`, and stops
    the run with a message naming the file and column when the raw data breaks the
    contract. Runs as an on-run-start hook. -#}
{% macro register_raw_tables() %}
    {{ return(adapter.dispatch('register_raw_tables', 'winback')()) }}
{% endmacro %}

{#- On DuckDB the raw tables are files in `raw_data_dir`, each read as a relation of
    `raw_schema` with every column as text, so that staging decides what parses and
    what is rejected. A CSV file is loaded once into a table: lines that cannot be read
    as a row (too many or too few fields, a bad encoding) are kept in
    `winback_malformed_lines` and reported as rejected rows, never dropped. A Parquet
    file is read in place through a view, and an event timestamp stored as a timestamp
    or a date also keeps its type, in UTC, as `<column>__utc`, so staging need not parse
    its text. -#}
{% macro duckdb__register_raw_tables() %}
    {% if execute %}
        {% set raw_dir = (var('raw_data_dir') | string).rstrip('/') %}
        {% set raw_schema = adapter.quote(var('raw_schema')) %}
        {% do run_query('create schema if not exists ' ~ raw_schema) %}
        {% do run_query(
            'create or replace table ' ~ raw_schema ~ '.winback_malformed_lines ('
            ~ 'table_name varchar, line_number bigint, error_message varchar, csv_line varchar)'
        ) %}
        {% for table_name, columns in raw_contract().items() %}
            {% set found_file = namespace(path=none, format=none) %}
            {% for extension in ['csv', 'parquet'] %}
                {% set path = raw_dir ~ '/' ~ table_name ~ '.' ~ extension %}
                {% set found = run_query("select count(*) from glob('" ~ path.replace("'", "''") ~ "')") %}
                {% if found_file.path is none and found.columns[0].values()[0] > 0 %}
                    {% set found_file.path = path.replace("'", "''") %}
                    {% set found_file.format = extension %}
                {% endif %}
            {% endfor %}
            {% if found_file.path is none %}
                {{ exceptions.raise_compiler_error(
                    "winback raw contract: no file " ~ table_name ~ ".csv or " ~ table_name
                    ~ ".parquet in raw_data_dir '" ~ raw_dir ~ "'. Every table of the contract"
                    ~ " must exist; an optional one may hold only its header row."
                ) }}
            {% endif %}
            {% if found_file.format == 'csv' %}
                {% set reader = "read_csv('" ~ found_file.path ~ "', header = true, all_varchar = true,"
                    ~ " delim = ',', quote = '\"', escape = '\"', store_rejects = true,"
                    ~ " rejects_table = 'winback_rejects', rejects_scan = 'winback_reject_scans')" %}
            {% else %}
                {% set reader = "read_parquet('" ~ found_file.path ~ "')" %}
            {% endif %}
            {% if found_file.format == 'csv' %}
                {#- The reader renames a repeated header (`amount`, `amount_1`), so which
                    copy would be read is an accident: a repeated name, in any case, stops.
                    Only the header line is read here, leniently: malformed lines further
                    down are the loader's to report as rejected rows. -#}
                {% set header = run_query(
                    "select * from read_csv('" ~ found_file.path ~ "', header = false,"
                    ~ " all_varchar = true, delim = ',', quote = '\"', escape = '\"',"
                    ~ " strict_mode = false, null_padding = true, ignore_errors = true, parallel = false)"
                    ~ " limit 1"
                ) %}
                {% if header.rows | length == 0 %}
                    {{ exceptions.raise_compiler_error(
                        "winback raw contract: file " ~ raw_dir ~ "/" ~ table_name ~ ".csv is"
                        ~ " empty: not even a header row. A table with no rows still needs its"
                        ~ " header line: " ~ columns.keys() | join(',')
                    ) }}
                {% endif %}
                {% set seen = [] %}
                {% set repeated = [] %}
                {% for name in header.rows[0] %}
                    {% set key = (name or '') | trim | lower %}
                    {#- empty names pad the header to the widest line below it -#}
                    {% if key and key in seen and key not in repeated %}
                        {% do repeated.append(key) %}
                    {% endif %}
                    {% do seen.append(key) %}
                {% endfor %}
                {% if repeated %}
                    {{ exceptions.raise_compiler_error(
                        "winback raw contract: file " ~ raw_dir ~ "/" ~ table_name ~ ".csv names"
                        ~ " the column '" ~ repeated | join("', '") ~ "' more than once (names are"
                        ~ " matched case-insensitively), so which copy to read cannot be told."
                        ~ " Keep one column of each name."
                    ) }}
                {% endif %}
            {% endif %}
            {% set described = run_query('describe select * from ' ~ reader) %}
            {% set present = {} %}
            {% for row in described.rows %}
                {% do present.update({row[0] | lower: row[0]}) %}
            {% endfor %}
            {% set present_types = {} %}
            {% for row in described.rows %}
                {% do present_types.update({row[0] | lower: row[1] | upper}) %}
            {% endfor %}
            {% set typed_timestamps = {
                'subscription_events': ['effective_at', 'occurred_at', 'ingested_at'],
            } %}
            {% set select_list = [] %}
            {% for column_name, must_exist in columns.items() %}
                {% if column_name in present %}
                    {% do select_list.append(
                        'cast(' ~ adapter.quote(present[column_name]) ~ ' as varchar) as ' ~ column_name
                    ) %}
                    {% set column_type = present_types[column_name] %}
                    {% if found_file.format == 'parquet'
                        and column_name in typed_timestamps.get(table_name, []) %}
                        {% if column_type in ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ'] %}
                            {% do select_list.append(
                                "timezone('UTC', " ~ adapter.quote(present[column_name]) ~ ') as '
                                ~ column_name ~ '__utc') %}
                        {% elif column_type.startswith('TIMESTAMP') or column_type == 'DATE' %}
                            {% do select_list.append(
                                'cast(' ~ adapter.quote(present[column_name]) ~ ' as timestamp) as '
                                ~ column_name ~ '__utc') %}
                        {% endif %}
                    {% endif %}
                {% elif must_exist %}
                    {{ exceptions.raise_compiler_error(
                        "winback raw contract: file " ~ raw_dir ~ "/" ~ table_name ~ "."
                        ~ found_file.format ~ " has no column '" ~ column_name
                        ~ "' (columns found: " ~ (present.keys() | list | sort | join(', ')) ~ ")."
                    ) }}
                {% else %}
                    {% do log("winback raw contract: " ~ table_name ~ " has no column '"
                        ~ column_name ~ "'; it is read as empty.", info=true) %}
                    {% do select_list.append('cast(null as varchar) as ' ~ column_name) %}
                {% endif %}
            {% endfor %}
            {% do run_query('drop table if exists winback_rejects') %}
            {% do run_query('drop table if exists winback_reject_scans') %}
            {% set existing = run_query(
                "select table_type from information_schema.tables where table_schema = '"
                ~ var('raw_schema') ~ "' and table_name = '" ~ table_name ~ "'"
            ) %}
            {% set relation_type = 'table' if found_file.format == 'csv' else 'view' %}
            {% if existing.rows | length > 0 %}
                {% do run_query(
                    'drop ' ~ ('view' if existing.rows[0][0] == 'VIEW' else 'table')
                    ~ ' ' ~ raw_schema ~ '.' ~ table_name) %}
            {% endif %}
            {% do run_query(
                'create ' ~ relation_type ~ ' ' ~ raw_schema ~ '.' ~ table_name
                ~ ' as select ' ~ select_list | join(', ') ~ ' from ' ~ reader
            ) %}
            {% if found_file.format == 'csv' %}
                {% do run_query(
                    'insert into ' ~ raw_schema ~ '.winback_malformed_lines'
                    ~ " select '" ~ table_name ~ "', line, min(error_message), min(csv_line)"
                    ~ ' from winback_rejects group by line'
                ) %}
                {% do run_query('drop table if exists winback_rejects') %}
                {% do run_query('drop table if exists winback_reject_scans') %}
            {% endif %}
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
