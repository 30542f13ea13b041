{#- What the spells of usage inactivity are computed with, besides the usage rows and
    as_of_date: inactivity_days and the code (macro code_digest) of the model and of
    the usage staging model that picks the accepted days. A change recomputes everyone. -#}
{% macro usage_spells_settings_digest() %}
    {% set parts = [var('inactivity_days') | string, code_digest(model)] %}
    {% for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name == 'stg_raw__product_usage' %}
        {% do parts.append(code_digest(node)) %}
    {% endfor %}
    {{ return(local_md5(parts | join('|'))) }}
{% endmacro %}
