{#- DuckDB's threads, memory limit and spill folder, from the environment:
    WINBACK_DUCKDB_THREADS (default: every core), WINBACK_DUCKDB_MEMORY_LIMIT (for
    example `8GB` or `60%`; default 1 GiB per thread, never more than DuckDB's own 80%
    of RAM) and WINBACK_DUCKDB_TEMP_DIRECTORY (where a query larger than memory spills;
    default `<database file>.tmp`). The models are tables on disk, read one or two at a
    time, so DuckDB needs memory for the queries running, not a cache of every table it
    wrote: the default limit keeps the rest on disk. A value DuckDB does not take stops
    the run naming the variable. Runs as an on-run-start hook; other engines ignore it. -#}
{% macro set_duckdb_resources() %}
    {% if execute and target.type == 'duckdb' %}
        {% for variable, setting in [
            ('WINBACK_DUCKDB_THREADS', 'threads'),
            ('WINBACK_DUCKDB_MEMORY_LIMIT', 'memory_limit'),
            ('WINBACK_DUCKDB_TEMP_DIRECTORY', 'temp_directory'),
        ] %}
            {% set value = env_var(variable, '') | trim %}
            {% set source = variable %}
            {% if setting == 'memory_limit' and not value %}
                {% set value = default_duckdb_memory_limit() %}
                {% set source = 'default: 1 GiB per thread; ' ~ variable ~ ' to change' %}
            {% endif %}
            {% if value %}
                {% if setting == 'threads' and not (value is string and value.isdigit() and value | int > 0) %}
                    {{ exceptions.raise_compiler_error(
                        "winback: " ~ variable ~ "='" ~ value ~ "' is not a number of threads (a whole number from 1)."
                    ) }}
                {% endif %}
                {% if setting == 'memory_limit' and not modules.re.fullmatch(
                    '[0-9]+([.][0-9]+)? *([KMGT]i?B|B|%)', value, modules.re.IGNORECASE) %}
                    {{ exceptions.raise_compiler_error(
                        "winback: " ~ variable ~ "='" ~ value ~ "' is not a memory size (for example 8GB, 512MiB or 60%)."
                    ) }}
                {% endif %}
                {% set quoted = "'" ~ value.replace("'", "''") ~ "'" %}
                {% do run_query('set ' ~ setting ~ ' = ' ~ (value if setting == 'threads' else quoted)) %}
                {% set now = run_query("select current_setting('" ~ setting ~ "')") %}
                {% do log("winback: DuckDB " ~ setting ~ " = " ~ now.rows[0][0] ~ " (" ~ source ~ ")", info=true) %}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
