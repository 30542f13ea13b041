{#- The event-heavy models of the ARR chain are incremental by customer: a run
    recomputes every customer in int_customers_to_rebuild from all of their events and
    replaces their rows, so late, out-of-order and repeated rows give what a full
    refresh gives. On engines without row deletes in their default tables (Spark) they
    are plain tables. -#}
{% macro incremental_by_customer_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}

{#- The pre-hook of an incremental-by-customer model: the rows of the customers to
    rebuild leave the table before their new rows are inserted (a customer whose rows
    are all gone now, for example one whose only event became a conflicting copy, keeps
    none). -#}
{% macro delete_customers_to_rebuild() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where customer_id in (
            select customer_id from {{ ref('int_customers_to_rebuild') }}
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- A where clause keeping the rows of the customers to rebuild in an incremental
    run; nothing in a full build. -#}
{% macro only_customers_to_rebuild(customer_id_column) -%}
    {%- if is_incremental() %}
    where {{ customer_id_column }} in (
        select customer_id from {{ ref('int_customers_to_rebuild') }}
    )
    {%- endif -%}
{%- endmacro %}

{#- The models that the state of the incremental chain belongs to: it is saved when a
    run built all of them. -#}
{% macro incremental_chain_models() -%}
    {{ return([
        'int_incremental_fingerprints', 'int_customers_to_rebuild',
        'int_subscription_events_dated', 'int_customer_currency_deltas',
        'int_customer_arr_changes', 'int_arr_movements_classified', 'fct_arr_movements',
    ]) }}
{%- endmacro %}

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

{#- The post-hooks of int_customers_to_rebuild: before the chain's tables change, the
    saved state forgets what this run recomputes. Step `changed` sets row_count to -1
    (which matches no fingerprint) on the rebuilt customers' rows and on every row that
    differs from this run's fingerprints; step `new` adds the keys the state lacks with
    row_count -1. A run killed after that point leaves them all to be recomputed by the
    next one, even if the raw files go back to what the state held. -#}
{% macro forget_rebuilt_state(step) -%}
    {%- set state = incremental_state_relation() if execute else none -%}
    {%- set saved = adapter.get_relation(
        database=state.database, schema=state.schema, identifier=state.identifier
    ) if state is not none and target.type != 'spark' else none -%}
    {%- set fingerprints = ref('int_incremental_fingerprints') -%}
    {%- if saved is not none and step == 'changed' -%}
        update {{ saved }} as saved_state
        set row_count = -1
        where
            (
                saved_state.fingerprint_kind in ('customer_events', 'customer_segment')
                and saved_state.fingerprint_key in (select customer_id from {{ this }})
            )
            or not exists (
                select 1
                from {{ fingerprints }} as fingerprints
                where
                    fingerprints.fingerprint_kind = saved_state.fingerprint_kind
                    and fingerprints.fingerprint_key = saved_state.fingerprint_key
                    and fingerprints.row_count = saved_state.row_count
                    and fingerprints.fingerprint = saved_state.fingerprint
            )
    {%- elif saved is not none and step == 'new' -%}
        insert into {{ saved }} (
            fingerprint_kind, fingerprint_key, affects_from_date, row_count, fingerprint
        )
        select
            fingerprints.fingerprint_kind,
            fingerprints.fingerprint_key,
            fingerprints.affects_from_date,
            -1,
            fingerprints.fingerprint
        from {{ fingerprints }} as fingerprints
        where not exists (
            select 1
            from {{ saved }} as saved_state
            where
                saved_state.fingerprint_kind = fingerprints.fingerprint_kind
                and saved_state.fingerprint_key = fingerprints.fingerprint_key
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
