{#- The table holding the fingerprints of the last run that built the whole chain,
    beside int_incremental_fingerprints. -#}
{% macro incremental_state_relation() -%}
    {%- set node = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', 'int_incremental_fingerprints')
        | first -%}
    {{ return(api.Relation.create(
        database=node.database, schema=node.schema, identifier='winback_incremental_state',
        type='table')) }}
{%- endmacro %}
