{#- Appends to `seen` the unique ids of this project's macros among `macro_ids` and among
    the macros they call, at any depth; dbt's own and other packages' macros are left out.
    Each macro's calls are dbt's: the ones it found when it parsed the macro. -#}
{% macro project_macros_called(macro_ids, seen) %}
    {% for macro_id in macro_ids
        if macro_id.startswith('macro.' ~ project_name ~ '.') and macro_id not in seen %}
        {% do seen.append(macro_id) %}
        {% set called = context.get(macro_id.split('.')[-1]) %}
        {% if called is not none %}
            {% do project_macros_called(called.macro.depends_on.macros, seen) %}
        {% endif %}
    {% endfor %}
{% endmacro %}
