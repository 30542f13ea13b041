{#- The version of each raw file on DuckDB, as {path: version}: its size and the second
    it was last modified, and for a file up to 16 MiB the md5 of its bytes too, so that a
    small file rewritten within the same second at the same size is still told apart. A
    base model that reads files incrementally reads a file again when its version
    changes. -#}
{% macro winback_raw_file_versions(paths) %}
    {% set versions = {} %}
    {% if not paths %}
        {{ return(versions) }}
    {% endif %}
    {% set quoted = [] %}
    {% for path in paths %}
        {% do quoted.append("'" ~ path.replace("'", "''") ~ "'") %}
    {% endfor %}
    {% set listed = run_query(
        "select filename, size, cast(size as varchar) || ':'"
        ~ " || cast(cast(epoch(last_modified) as bigint) as varchar)"
        ~ " from read_blob([" ~ quoted | join(', ') ~ "])"
    ) %}
    {% set small = [] %}
    {% for row in listed.rows %}
        {% do versions.update({row[0]: row[2]}) %}
        {% if row[1] <= 16777216 %}
            {% do small.append("'" ~ row[0].replace("'", "''") ~ "'") %}
        {% endif %}
    {% endfor %}
    {% if small %}
        {% set hashed = run_query(
            "select filename, md5(content) from read_blob([" ~ small | join(', ') ~ "])") %}
        {% for row in hashed.rows %}
            {% do versions.update({row[0]: versions[row[0]] ~ ':' ~ row[1]}) %}
        {% endfor %}
    {% endif %}
    {{ return(versions) }}
{% endmacro %}
