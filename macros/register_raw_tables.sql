{#- Makes the raw tables of the contract readable as sources in `raw_schema`, and stops
    the run with a message naming the file and column when the raw data breaks the
    contract. Runs as an on-run-start hook. -#}
{% macro register_raw_tables() %}
    {{ return(adapter.dispatch('register_raw_tables', 'winback')()) }}
{% endmacro %}

{#- On DuckDB the raw tables are files in `raw_data_dir`, each read as a relation of
    `raw_schema` with every column as text, so that staging decides what parses and
    what is rejected. A table is one file, `<table>.csv` or `<table>.parquet`, or any
    number of them: `<table>_*.csv` beside it and `<table>/*.csv` in a folder of its own
    (or the same in Parquet), as a pipeline that appends files writes them; its rows are
    those of all its files, and one table's files are all CSV or all Parquet. CSV files
    are loaded once into a table: lines that cannot be read as a row (too many or too
    few fields, a bad encoding) are kept in `winback_malformed_lines`, with the file
    they are in when the table has more than one, and reported as rejected rows, never
    dropped. Parquet files are read in place through a view, and a timestamp of the
    large tables (events, customers, usage) stored as a timestamp or a date in every
    file also keeps its type, in UTC, as `<column>__utc`, and
    so does a number stored as an integer (a count) or an integer or decimal (an
    amount) that always fits the type staging gives it, as `<column>__number`, so that
    staging need not parse its text; such a column's text is left null (staging writes
    the twin's text, macro raw_text, only where a row is shown or copies are ranked).
    A floating-point number keeps no twin: its text is what it means, and
    its rounding to the money type could differ from the text's. Every row carries the
    file it came from (`raw_file`) and that file's version
    (`raw_file_version`), and `winback_raw_files` lists the files of every table (with
    their version and format), so that the base models of the large tables read only
    the files they have not read before. -#}
{% macro duckdb__register_raw_tables() %}
    {% if execute %}
        {% set raw_dir = (var('raw_data_dir') | string).rstrip('/') %}
        {% set raw_schema = adapter.quote(var('raw_schema')) %}
        {#- The columns that keep a typed twin, and what kind of value each holds. -#}
        {% set typed_columns = {
            'subscription_events': {
                'effective_at': 'timestamp', 'occurred_at': 'timestamp',
                'ingested_at': 'timestamp', 'amount': 'decimal', 'discount_pct': 'decimal',
            },
            'customers': {'created_at': 'timestamp'},
            'product_usage': {
                'activity_date': 'timestamp', 'active_users': 'integer', 'events_count': 'integer',
            },
        } %}
        {% set integer_types = [
            'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT',
            'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT',
        ] %}
        {% do run_query('create schema if not exists ' ~ raw_schema) %}
        {% do run_query(
            'create or replace table ' ~ raw_schema ~ '.winback_raw_files ('
            ~ 'table_name varchar, raw_file varchar, raw_file_version varchar,'
            ~ ' file_format varchar, has_row_numbers boolean)'
        ) %}
        {% do run_query(
            'create or replace table ' ~ raw_schema ~ '.winback_malformed_lines ('
            ~ 'table_name varchar, line_number bigint, error_message varchar, csv_line varchar,'
            ~ ' file_name varchar)'
        ) %}
        {% for table_name, columns in raw_contract().items() %}
            {% set globs = [] %}
            {% for extension in ['csv', 'parquet'] %}
                {% for pattern in [table_name ~ '.', table_name ~ '_*.', table_name ~ '/*.'] %}
                    {% do globs.append(
                        "select file, '" ~ extension ~ "' as file_format from glob('"
                        ~ (raw_dir ~ '/' ~ pattern ~ extension).replace("'", "''") ~ "')"
                    ) %}
                {% endfor %}
            {% endfor %}
            {% set listed = run_query(
                'select distinct file, file_format from (' ~ globs | join(' union all ')
                ~ ') order by file') %}
            {% set files = {'csv': [], 'parquet': []} %}
            {% for row in listed.rows %}
                {% do files[row[1]].append(row[0]) %}
            {% endfor %}
            {% if not files['csv'] and not files['parquet'] %}
                {{ exceptions.raise_compiler_error(
                    "winback raw contract: no file " ~ table_name ~ ".csv or " ~ table_name
                    ~ ".parquet in raw_data_dir '" ~ raw_dir ~ "'. Every table of the contract"
                    ~ " must exist; an optional one may hold only its header row."
                ) }}
            {% endif %}
            {% if files['csv'] and files['parquet'] %}
                {{ exceptions.raise_compiler_error(
                    "winback raw contract: " ~ table_name ~ " is given both as CSV ("
                    ~ files['csv'] | join(', ') ~ ") and as Parquet ("
                    ~ files['parquet'] | join(', ') ~ "). Keep one format per table."
                ) }}
            {% endif %}
            {% set file_format = 'csv' if files['csv'] else 'parquet' %}
            {% set paths = files[file_format] %}
            {% set versions = winback_raw_file_versions(paths) %}
            {% set described = [] %}
            {% for path in paths %}
                {% do described.append(winback_raw_file_columns(
                    path, file_format, columns.keys() | list)) %}
            {% endfor %}
            {#- The rows of a Parquet table read incrementally are numbered within their
                file (DuckDB's file_row_number, unless a file has a column of that name),
                and the table macro raw_file_rows_at reads only the numbered rows it is
                given, filtering each file as it is scanned. -#}
            {% set numbered = namespace(files=file_format == 'parquet'
                and raw_file_table(table_name) is not none
                and raw_file_table(table_name).stored_key is not none) %}
            {% for present in described if 'file_row_number' in present %}
                {% set numbered.files = false %}
            {% endfor %}
            {% set numbered = numbered.files %}
            {% for path in paths %}
                {% do run_query(
                    'insert into ' ~ raw_schema ~ ".winback_raw_files values ('" ~ table_name
                    ~ "', '" ~ path.replace("'", "''") ~ "', '" ~ versions[path] ~ "', '"
                    ~ file_format ~ "', " ~ numbered ~ ")") %}
            {% endfor %}
            {#- A typed twin only where every file stores the column in a type of its
                kind whose every value fits the twin's (a count in BIGINT, an amount in
                the money type), so that every file gives the relation the same columns
                and the twin is null only where the value is. The column's text is then
                left null: staging reads the twin, and writes a twin's text (macro
                raw_text) only where a row is shown or copies are ranked, instead of every
                instant of a large table being written out as text. -#}
            {% set money = modules.re.search('(\\d+)\\s*,\\s*(\\d+)', money_type()) %}
            {% set twins = {} %}
            {% for column_name, kind in typed_columns.get(table_name, {}).items() %}
                {% set typed_in = namespace(files=0) %}
                {% for present in described if column_name in present %}
                    {% set file_type = present[column_name][1] %}
                    {% set decimal_size = modules.re.match(
                        '^DECIMAL\\((\\d+),\\s*(\\d+)\\)$', file_type) %}
                    {% if (kind == 'timestamp' and (file_type.startswith('TIMESTAMP') or file_type == 'DATE'))
                        or (kind in ['integer', 'decimal'] and file_type in integer_types
                            and file_type not in ['HUGEINT', 'UHUGEINT']
                            and not (kind == 'integer' and file_type == 'UBIGINT'))
                        or (kind == 'decimal' and decimal_size
                            and decimal_size.group(1) | int - decimal_size.group(2) | int
                            <= money.group(1) | int - money.group(2) | int) %}
                        {% set typed_in.files = typed_in.files + 1 %}
                    {% endif %}
                {% endfor %}
                {% if file_format == 'parquet' and typed_in.files == paths | length %}
                    {% do twins.update({column_name: kind}) %}
                {% endif %}
            {% endfor %}
            {% set selects = [] %}
            {% for path in paths %}
                {% set present = described[loop.index0] %}
                {% set select_list = [] %}
                {% for column_name, must_exist in columns.items() %}
                    {% if column_name in present %}
                        {% set written = adapter.quote(present[column_name][0]) %}
                        {% do select_list.append(
                            ('cast(null as varchar)' if column_name in twins
                                else 'cast(' ~ written ~ ' as varchar)') ~ ' as ' ~ column_name) %}
                        {% if twins.get(column_name) == 'timestamp' %}
                            {#- An instant's UTC wall time from its epoch microseconds,
                                without the time-zone library; timezone() only for an
                                infinite value, which has no epoch. -#}
                            {% do select_list.append(
                                ('coalesce(make_timestamp(epoch_us(' ~ written ~ ")), timezone('UTC', "
                                    ~ written ~ '))'
                                    if present[column_name][1] in ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ']
                                    else 'cast(' ~ written ~ ' as timestamp)')
                                ~ ' as ' ~ column_name ~ '__utc') %}
                        {% elif column_name in twins %}
                            {% do select_list.append(
                                'try_cast(' ~ written ~ ' as ' ~ (dbt.type_bigint()
                                    if twins[column_name] == 'integer' else money_type())
                                ~ ') as ' ~ column_name ~ '__number') %}
                        {% endif %}
                    {% elif must_exist %}
                        {{ exceptions.raise_compiler_error(
                            "winback raw contract: file " ~ path ~ " has no column '"
                            ~ column_name ~ "' (columns found: "
                            ~ (present.keys() | list | sort | join(', ')) ~ ")."
                        ) }}
                    {% else %}
                        {% do log("winback raw contract: " ~ path ~ " has no column '"
                            ~ column_name ~ "'; it is read as empty.", info=true) %}
                        {% do select_list.append('cast(null as varchar) as ' ~ column_name) %}
                    {% endif %}
                {% endfor %}
                {% do select_list.append(
                    "'" ~ path.replace("'", "''") ~ "' as raw_file, '" ~ versions[path]
                    ~ "' as raw_file_version") %}
                {% do selects.append(select_list | join(', ')) %}
            {% endfor %}
            {% set existing = run_query(
                "select table_type from information_schema.tables where table_schema = '"
                ~ var('raw_schema') ~ "' and table_name = '" ~ table_name ~ "'"
            ) %}
            {% if existing.rows | length > 0 %}
                {% do run_query(
                    'drop ' ~ ('view' if existing.rows[0][0] == 'VIEW' else 'table')
                    ~ ' ' ~ raw_schema ~ '.' ~ table_name) %}
            {% endif %}
            {% do run_query('drop macro table if exists ' ~ raw_file_rows_at(table_name)) %}
            {% if file_format == 'parquet' %}
                {% set parts = [] %}
                {% set numbered_parts = [] %}
                {% for path in paths %}
                    {% set quoted_path = "'" ~ path.replace("'", "''") ~ "'" %}
                    {% if numbered %}
                        {% set part = 'select ' ~ selects[loop.index0]
                            ~ ', file_row_number as raw_row_number from read_parquet('
                            ~ quoted_path ~ ', file_row_number = true)' %}
                        {% do parts.append(part) %}
                        {% do numbered_parts.append(
                            part ~ ' where file_row_number in (select row_numbers.raw_row_number'
                            ~ ' from query_table(row_numbers) as row_numbers'
                            ~ ' where row_numbers.raw_file = ' ~ quoted_path ~ ')') %}
                    {% else %}
                        {% do parts.append('select ' ~ selects[loop.index0]
                            ~ ' from read_parquet(' ~ quoted_path ~ ')') %}
                    {% endif %}
                {% endfor %}
                {% do run_query(
                    'create view ' ~ raw_schema ~ '.' ~ table_name ~ ' as '
                    ~ parts | join(' union all ')) %}
                {% if numbered %}
                    {% do run_query(
                        'create macro ' ~ raw_file_rows_at(table_name) ~ '(row_numbers) as table '
                        ~ numbered_parts | join(' union all ')) %}
                {% endif %}
            {% else %}
                {% for path in paths %}
                    {% do run_query('drop table if exists winback_rejects') %}
                    {% do run_query('drop table if exists winback_reject_scans') %}
                    {% do run_query(
                        ('create table ' if loop.first else 'insert into ')
                        ~ raw_schema ~ '.' ~ table_name ~ (' as ' if loop.first else ' ')
                        ~ 'select ' ~ selects[loop.index0] ~ " from read_csv('" ~ path.replace("'", "''")
                        ~ "', header = true, all_varchar = true, delim = ',', quote = '\"',"
                        ~ " escape = '\"', store_rejects = true, rejects_table = 'winback_rejects',"
                        ~ " rejects_scan = 'winback_reject_scans')"
                    ) %}
                    {% do run_query(
                        'insert into ' ~ raw_schema ~ '.winback_malformed_lines'
                        ~ " select '" ~ table_name ~ "', line, min(error_message), min(csv_line), "
                        ~ ("'" ~ path[raw_dir | length + 1:].replace("'", "''") ~ "'"
                            if paths | length > 1 else 'null')
                        ~ ' from winback_rejects group by line'
                    ) %}
                {% endfor %}
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
