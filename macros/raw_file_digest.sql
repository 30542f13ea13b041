{% macro raw_file_digest(seeds) %}
    {#- (unit tests see no graph: their rows carry no file) -#}
    {% set parts = [code_digest(model)] %}
    {#- DuckDB's version too: a stored key hash (macro stored_key_hash) is its hash(),
        which a new release may compute differently, as it may parse a text. -#}
    {% do parts.append('duckdb ' ~ run_query('select version()').columns[0].values()[0]) %}
    {% set nodes = graph.get('nodes', {}) %}
    {% for seed in seeds %}
        {% set node = nodes.get('seed.' ~ project_name ~ '.' ~ seed) %}
        {% do parts.append(seed ~ ':' ~ (node.checksum.checksum if node else '')) %}
    {% endfor %}
    {{ return(local_md5(parts | join('|'))[:12]) }}
{% endmacro %}
