{#- The memory limit winback gives DuckDB when WINBACK_DUCKDB_MEMORY_LIMIT is not set,
    as a size DuckDB takes (`<bytes>B`): 1 GiB per DuckDB thread, or DuckDB's own
    limit (80% of RAM) where that is smaller. Empty when DuckDB's limit is not one this
    reads, which leaves DuckDB's. -#}
{% macro default_duckdb_memory_limit() %}
    {% set current = run_query(
        "select current_setting('threads'), current_setting('memory_limit')") %}
    {% set threads = current.rows[0][0] | int %}
    {% set limit = modules.re.fullmatch(
        '([0-9]+(?:[.][0-9]+)?) *(bytes|KiB|MiB|GiB|TiB)', current.rows[0][1] | trim) %}
    {% if not limit or threads < 1 %}
        {{ return('') }}
    {% endif %}
    {% set unit_bytes = {'bytes': 1, 'KiB': 1024, 'MiB': 1024 ** 2, 'GiB': 1024 ** 3,
                         'TiB': 1024 ** 4} %}
    {% set duckdb_bytes = (limit.group(1) | float) * unit_bytes[limit.group(2)] %}
    {% set per_thread_bytes = threads * 1024 ** 3 %}
    {{ return(([duckdb_bytes, per_thread_bytes] | min | int) ~ 'B') }}
{% endmacro %}
