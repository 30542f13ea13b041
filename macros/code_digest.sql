{#- A digest of what a model runs: its own code and the code of every macro of this
    project it calls, at any depth, so that a changed macro changes the digest too. -#}
{% macro code_digest(node) %}
    {% set called = [] %}
    {% set depends_on = node.depends_on if node.depends_on is defined else none %}
    {% do project_macros_called(depends_on.macros if depends_on else [], called) %}
    {% set parts = [node.raw_code] %}
    {% for macro_id in called | sort %}
        {% do parts.append(macro_id ~ ':' ~ local_md5(context.get(macro_id.split('.')[-1]).macro.macro_sql)) %}
    {% endfor %}
    {{ return(local_md5(parts | join('|'))) }}
{% endmacro %}
