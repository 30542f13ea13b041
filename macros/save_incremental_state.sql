{#- on-run-end: when every model of the chain was built without error in this run, the
    fingerprints it was built from become the state the next run compares with. A run
    that stopped part way saves nothing, so the next one rebuilds those customers
    again. -#}
{% macro save_incremental_state(results) -%}
    {%- set built = [] -%}
    {%- if execute -%}
        {%- for result in results
            if result.node.resource_type == 'model' and result.status == 'success' -%}
            {%- do built.append(result.node.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set missing = incremental_chain_models() | reject('in', built) | list -%}
    {%- if execute and not missing -%}
        {%- set state = incremental_state_relation() -%}
        {%- set fingerprints = state.incorporate(path={'identifier': 'int_incremental_fingerprints'}) -%}
        {%- do adapter.drop_relation(state) -%}
        create table {{ state }} as select * from {{ fingerprints }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
