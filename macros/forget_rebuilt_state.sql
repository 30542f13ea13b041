{#- The post-hooks of int_customers_to_rebuild: before the chain's tables change, the
    saved state forgets what this run recomputes. Step `changed` sets row_count to -1
    (which matches no fingerprint) on the rebuilt customers' rows and on every row that
    differs from this run's fingerprints; step `new` adds the keys the state lacks with
    row_count -1. A run killed after that point leaves them all to be recomputed by the
    next one, even if the raw files go back to what the state held. Every customer whose
    fingerprint is new, differs or is gone is one of the rebuilt customers ({{ this }}),
    so only the other kinds of fingerprint are compared row by row. -#}
{% macro forget_rebuilt_state(step) -%}
    {%- set state = incremental_state_relation() if execute else none -%}
    {%- set saved = adapter.get_relation(
        database=state.database, schema=state.schema, identifier=state.identifier
    ) if state is not none and target.type != 'spark' else none -%}
    {%- set fingerprints = ref('int_incremental_fingerprints') -%}
    {%- set customer_kinds = customer_fingerprint_kinds() -%}
    {%- if saved is not none and step == 'changed' -%}
        update {{ saved }} as saved_state
        set row_count = -1
        where
            case
                when saved_state.fingerprint_kind in ({{ customer_kinds }})
                    then saved_state.fingerprint_key in (select customer_id from {{ this }})
                else not exists (
                    select 1
                    from {{ fingerprints }} as fingerprints
                    where
                        fingerprints.fingerprint_kind not in ({{ customer_kinds }})
                        and fingerprints.fingerprint_kind = saved_state.fingerprint_kind
                        and fingerprints.fingerprint_key = saved_state.fingerprint_key
                        and fingerprints.row_count = saved_state.row_count
                        and fingerprints.fingerprint = saved_state.fingerprint
                )
            end
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
        where
            (
                fingerprints.fingerprint_kind not in ({{ customer_kinds }})
                or fingerprints.fingerprint_key in (select customer_id from {{ this }})
            )
            and not exists (
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
