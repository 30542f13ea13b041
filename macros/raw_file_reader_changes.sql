{#- For a model kept by customer that reads a base model whose rows are read by file
    (macro raw_file_materialization): which files that base table read since this
    model's last run, as {'everyone': whether every customer is to be recomputed,
    'new': the paths of the files read since}. Everyone in a full build, when the base
    table keeps no list of its files (no file list: not DuckDB, a unit test), when this
    model saved none (macro raw_file_reader_save_versions), and when a file it read
    then is gone or was rewritten: that file's rows can have left the base table, and
    with them their customers. -#}
{% macro raw_file_reader_changes(base_model) %}
    {% set everyone = {'everyone': true, 'new': []} %}
    {% if not execute or not is_incremental() or target.type != 'duckdb' %}
        {{ return(everyone) }}
    {% endif %}
    {% set held = raw_file_versions_relation(ref(base_model)) %}
    {% set read = raw_file_versions_relation() %}
    {% for relation in [held, read] %}
        {% if adapter.get_relation(database=relation.database, schema=relation.schema,
                                   identifier=relation.identifier) is none %}
            {{ return(everyone) }}
        {% endif %}
    {% endfor %}
    {% set diff = raw_file_version_diff(
        run_query('select raw_file, raw_file_version from ' ~ held).rows,
        run_query('select raw_file, raw_file_version from ' ~ read).rows) %}
    {{ return({'everyone': diff.gone | length > 0, 'new': diff.new}) }}
{% endmacro %}
