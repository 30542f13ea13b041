{#- The base models of the large raw tables (events, product usage) read, on DuckDB, only
    the raw files they have not read before. Each row keeps the file it came from and
    that file's version (its size, modification second and, for a small file, its md5;
    with a digest of the model's code and the seeds it reads). A run compares the files
    of `winback_raw_files` with those the table holds:
    - `full`: the first build or `--full-refresh`: every row is read;
    - `rebuild`: no file the table holds is still current (the single-file form
      rewritten, or the model's code or seeds changed): the table is emptied and every
      row is read again;
    - `files`: files were added, rewritten or removed: the natural keys found in those
      files (new rows, and the rows the table holds from files now gone or changed) are
      the keys to read again; the table's rows of those keys and of those files leave it,
      and every current row of those keys comes back, ranked among its copies as in a
      full build, with the new files' rows that have no key;
    - `none`: nothing changed, nothing is read.
    Elsewhere (Postgres, Spark) the raw tables have no files and the models are tables. -#}
{% macro raw_file_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- Per table read this way: the seeds its base model reads, the column holding the
    natural key in the base model, and the key of a raw row read as `relation`
    (the same text the base model ranks copies by; null when the row has no key). -#}
{% macro raw_file_table(table_name) %}
    {% set tables = {
        'subscription_events': {
            'seeds': ['event_type_aliases', 'billing_period_aliases', 'currencies'],
            'stored_key': 'event_id',
        },
        'product_usage': {'seeds': [], 'stored_key': 'source_key'},
    } %}
    {{ return(tables[table_name]) }}
{% endmacro %}

{% macro raw_natural_key(table_name, relation) %}
    {% if table_name == 'subscription_events' %}
        {{ return(clean_text(relation ~ '.event_id')) }}
    {% endif %}
    {% set activity_date = relation ~ '.activity_date' %}
    {{ return(dbt.concat([
        clean_text(relation ~ '.customer_id'), "'|'",
        "coalesce(cast(cast(" ~ parse_raw_timestamp_utc(
            activity_date, raw_typed_timestamp_columns(table_name))
        ~ " as date) as " ~ dbt.type_string() ~ "), " ~ clean_text(activity_date) ~ ")",
    ])) }}
{% endmacro %}

{% macro raw_file_digest(seeds) %}
    {#- (unit tests see no graph: their rows carry no file) -#}
    {% set parts = [model.raw_code] %}
    {% set nodes = graph.get('nodes', {}) %}
    {% for seed in seeds %}
        {% set node = nodes.get('seed.' ~ project_name ~ '.' ~ seed) %}
        {% do parts.append(seed ~ ':' ~ (node.checksum.checksum if node else '')) %}
    {% endfor %}
    {{ return(local_md5(parts | join('|'))[:12]) }}
{% endmacro %}

{#- What this run of the model reads: {'mode', 'new', 'gone'} as described above; `new`
    lists the files (paths) to read, `gone` the `file|version` pairs to forget. -#}
{% macro raw_file_changes(table_name) %}
    {% set seeds = raw_file_table(table_name).seeds %}
    {% if not execute or target.type != 'duckdb' or this is none or not is_incremental() %}
        {{ return({'mode': 'full', 'new': [], 'gone': []}) }}
    {% endif %}
    {% set digest = raw_file_digest(seeds) %}
    {% set current = run_query(
        "select raw_file, raw_file_version || ':" ~ digest ~ "' from "
        ~ adapter.quote(var('raw_schema')) ~ ".winback_raw_files where table_name = '"
        ~ table_name ~ "'") %}
    {% set loaded = run_query(
        'select raw_file, raw_file_version from ' ~ this
        ~ ' group by raw_file, raw_file_version') %}
    {% set current_pairs = [] %}
    {% for row in current.rows %}
        {% do current_pairs.append(row[0] ~ '|' ~ row[1]) %}
    {% endfor %}
    {% set loaded_pairs = [] %}
    {% for row in loaded.rows %}
        {% do loaded_pairs.append(row[0] ~ '|' ~ row[1]) %}
    {% endfor %}
    {% set new = [] %}
    {% for row in current.rows if (row[0] ~ '|' ~ row[1]) not in loaded_pairs %}
        {% do new.append(row[0]) %}
    {% endfor %}
    {% set gone = [] %}
    {% set kept = namespace(files=0) %}
    {% for pair in loaded_pairs %}
        {% if pair in current_pairs %}
            {% set kept.files = kept.files + 1 %}
        {% else %}
            {% do gone.append(pair) %}
        {% endif %}
    {% endfor %}
    {% if kept.files == 0 %}
        {{ return({'mode': 'rebuild', 'new': new, 'gone': gone}) }}
    {% elif new or gone %}
        {{ return({'mode': 'files', 'new': new, 'gone': gone}) }}
    {% endif %}
    {{ return({'mode': 'none', 'new': [], 'gone': []}) }}
{% endmacro %}

{% macro raw_file_keys_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__keys'})) }}
{% endmacro %}

{% macro raw_file_sql_list(values) -%}
    ({% for value in values %}'{{ value | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- The raw rows to read, for `from`: the raw relation itself, or only the rows of the
    keys to read again and the new files' rows without a key. -#}
{% macro raw_file_rows(table_name) %}
    {% set key = raw_natural_key(table_name, 'raw_rows') %}
    {% set changes = raw_file_changes(table_name) %}
    {% set raw = source('raw', table_name) %}
    {% if changes.mode in ['full', 'rebuild'] %}
        {{ return(raw) }}
    {% elif changes.mode == 'none' %}
        {{ return('(select * from ' ~ raw ~ ' where false)') }}
    {% endif %}
    {{ return(
        '(select * from ' ~ raw ~ ' as raw_rows where ' ~ key ~ ' in (select raw_key from '
        ~ raw_file_keys_relation() ~ ')'
        ~ (' or (' ~ key ~ ' is null and raw_rows.raw_file in '
            ~ raw_file_sql_list(changes.new) ~ ')' if changes.new else '')
        ~ ')') }}
{% endmacro %}

{#- Pre-hooks: first the keys to read again, then the rows that leave the table. -#}
{% macro raw_file_find_keys(table_name) %}
    {% set key = raw_natural_key(table_name, 'raw_rows') %}
    {% set stored_key = raw_file_table(table_name).stored_key %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode != 'files' %}
        {{ return('select 1') }}
    {% endif %}
    {% set parts = [] %}
    {% if changes.new %}
        {% do parts.append(
            'select ' ~ key ~ ' as raw_key from ' ~ source('raw', table_name)
            ~ ' as raw_rows where raw_rows.raw_file in ' ~ raw_file_sql_list(changes.new)) %}
    {% endif %}
    {% if changes.gone %}
        {% do parts.append(
            'select ' ~ stored_key ~ ' as raw_key from ' ~ this ~ " where raw_file || '|' || raw_file_version in "
            ~ raw_file_sql_list(changes.gone)) %}
    {% endif %}
    {{ return(
        'create or replace table ' ~ raw_file_keys_relation() ~ ' as select distinct raw_key from ('
        ~ parts | join(' union all ') ~ ') as keys where raw_key is not null') }}
{% endmacro %}

{% macro raw_file_forget_rows(table_name) %}
    {% set stored_key = raw_file_table(table_name).stored_key %}
    {% set changes = raw_file_changes(table_name) %}
    {% if changes.mode == 'rebuild' %}
        {{ return('delete from ' ~ this) }}
    {% elif changes.mode != 'files' %}
        {{ return('select 1') }}
    {% endif %}
    {{ return(
        'delete from ' ~ this ~ ' where ' ~ stored_key ~ ' in (select raw_key from '
        ~ raw_file_keys_relation() ~ ')'
        ~ (" or raw_file || '|' || raw_file_version in " ~ raw_file_sql_list(changes.gone)
            if changes.gone else '')) }}
{% endmacro %}

{% macro raw_file_drop_keys() %}
    {% if target.type == 'duckdb' and this is not none and is_incremental() %}
        {{ return('drop table if exists ' ~ raw_file_keys_relation()) }}
    {% endif %}
    {{ return('select 1') }}
{% endmacro %}

{#- The file and version columns of a base row (null where the raw tables are not
    files). -#}
{% macro raw_file_columns(table_name, relation) -%}
    {%- if target.type == 'duckdb' -%}
        {{ relation }}.raw_file,
        {{ relation }}.raw_file_version || ':{{ raw_file_digest(raw_file_table(table_name).seeds) if execute else "" }}' as raw_file_version
    {%- else -%}
        cast(null as {{ dbt.type_string() }}) as raw_file,
        cast(null as {{ dbt.type_string() }}) as raw_file_version
    {%- endif -%}
{%- endmacro %}

{#- Identical copies of a row in different files: the earliest file name is the first
    copy, so which file a kept row comes from does not depend on the order of reading. -#}
{% macro raw_file_order(relation) -%}
    {%- if target.type == 'duckdb' -%}, {{ relation }}.raw_file{%- endif -%}
{%- endmacro %}
