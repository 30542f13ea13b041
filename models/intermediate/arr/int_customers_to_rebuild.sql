-- The customers whose rows an incremental run of the ARR chain recomputes: every
-- customer whose fingerprint (int_incremental_fingerprints) differs from the state
-- saved by the last run that built the whole chain, or who is gone from it; every
-- customer with an event in or after the movement period of a changed exchange rate
-- or of the old or new as_of_date (told by the day of their last event, which their
-- fingerprint carries); and every customer when the settings changed or no state was
-- saved yet (is_everyone, on every row). A full build reads none of it. Each row
-- carries the as_of_date, so that a model reading events up to it for these customers
-- joins one table: beside a join with the one-row int_reporting_dates, DuckDB's
-- planner takes the events for the smaller side and hashes every one of them to find
-- a few customers'.

{{ config(post_hook=[
    "{{ forget_rebuilt_state('changed') }}",
    "{{ forget_rebuilt_state('new') }}",
]) }}

{%- set state = adapter.get_relation(
    database=incremental_state_relation().database,
    schema=incremental_state_relation().schema,
    identifier=incremental_state_relation().identifier,
) if execute else none %}

with

fingerprints as (

    select * from {{ ref('int_incremental_fingerprints') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

-- With no saved state every fingerprint is new, the settings row included.
saved_state as (

    {% if state is not none -%}
        select * from {{ state }}
    {%- else -%}
        select * from fingerprints
        where 1 = 0
    {%- endif %}

),

changed as (

    select
        coalesce(fingerprints.fingerprint_kind, saved_state.fingerprint_kind)
            as fingerprint_kind,
        coalesce(fingerprints.fingerprint_key, saved_state.fingerprint_key)
            as fingerprint_key,
        coalesce(fingerprints.affects_from_date, saved_state.affects_from_date)
            as affects_from_date,
        fingerprints.fingerprint_key is null as is_gone

    from fingerprints
    full outer join saved_state
        on
            fingerprints.fingerprint_kind = saved_state.fingerprint_kind
            and fingerprints.fingerprint_key = saved_state.fingerprint_key
    where
        fingerprints.fingerprint_key is null
        or saved_state.fingerprint_key is null
        or fingerprints.row_count <> saved_state.row_count
        or fingerprints.fingerprint <> saved_state.fingerprint

),

rebuild_all as (

    select count(*) > 0 as is_everyone
    from changed
    where fingerprint_kind = 'settings'

),

-- The first movement period whose valuation or dated events can have changed.
rebuild_from as (

    select min({{ movement_period('affects_from_date') }}) as period_date
    from changed
    where fingerprint_kind in ('fx_rate', 'as_of_date')

),

-- When everyone is recomputed (the first build, a changed setting) the last set holds
-- every customer there is, so of the first two only the customers gone since the saved
-- state are kept: the rest would only make the union longer. A customer is told by any
-- kind of fingerprint but the three below, a kind that a state saved by an earlier
-- version of winback holds included (customer_segment): a customer known to it by
-- that kind alone, and gone since, must leave the tables too.
customers as (

    select changed.fingerprint_key as customer_id
    from changed
    cross join rebuild_all
    where
        (not rebuild_all.is_everyone or changed.is_gone)
        and changed.fingerprint_kind not in ('fx_rate', 'as_of_date', 'settings')

    union

    select fingerprints.fingerprint_key as customer_id
    from fingerprints
    cross join rebuild_from
    cross join rebuild_all
    where
        not rebuild_all.is_everyone
        and fingerprints.fingerprint_kind = 'customer_events'
        and fingerprints.last_effective_date >= rebuild_from.period_date

    union

    select fingerprints.fingerprint_key as customer_id
    from fingerprints
    cross join rebuild_all
    where
        rebuild_all.is_everyone
        and fingerprints.fingerprint_kind in ({{ customer_fingerprint_kinds() }})

),

final as (

    select
        cast(customers.customer_id as {{ dbt.type_string() }}) as customer_id,
        reporting_dates.as_of_date,
        rebuild_all.is_everyone

    from customers
    cross join reporting_dates
    cross join rebuild_all

)

select * from final
