{#- A digest of what the spells of usage inactivity are computed by: inactivity_days and
    the code of the spells model and of the usage staging model. The spells are
    recomputed for everyone when it changes. -#}
{% macro usage_spells_settings() %}
    {%- set settings = {'inactivity_days': var('inactivity_days')} %}
    {%- if execute %}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model'
            and node.name in ['int_usage_inactivity_episodes', 'stg_raw__product_usage'] %}
            {%- do settings.update({node.name: local_md5(node.raw_code)}) %}
        {%- endfor %}
    {%- endif %}
    {{ return(local_md5(tojson(settings, sort_keys=true))) }}
{% endmacro %}
