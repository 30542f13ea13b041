-- One row per spell of product inactivity (gaps and islands over product_usage): a
-- customer becomes usage-inactive once `inactivity_days` days have passed without
-- activity (inactive_date = last activity + inactivity_days) and is usage-reactivated
-- on their next activity (return_date). A spell still open at as_of_date has no return.
-- On DuckDB a run recomputes only the spells that can have changed: those of each
-- customer from their first day in a usage file new since the last run, and everyone's
-- open spells and days from the old or new as_of_date when it moved (macro
-- usage_spells_to_rebuild), each from the customer's last active day before it.

{{ config(
    materialized=raw_file_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=[
        "{{ usage_spells_to_rebuild() }}",
        "{{ delete_usage_spells_to_rebuild('everyone') }}",
        "{{ delete_usage_spells_to_rebuild('from_date') }}",
        "{{ delete_usage_spells_to_rebuild('customers') }}",
    ],
    post_hook=["{{ save_usage_spells_state() }}", "{{ drop_usage_spells_rebuild() }}"],
) }}
{%- set recompute_some = is_incremental() %}
-- depends_on: {{ ref('base_raw__product_usage') }}

with

usage as (

    select * from {{ ref('stg_raw__product_usage') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

-- No distinct: a day given twice gets its own date as the next one on all but its
-- last row, and a gap of 0 days is never a spell (inactivity_days is at least 1).
active_days as (

    select
        usage.customer_id,
        usage.activity_date

    from usage
    cross join reporting_dates
    where usage.activity_date <= reporting_dates.as_of_date

),

{{ usage_spells_recompute_cte() }}
with_next as (

    select
        customer_id,
        activity_date,
        lead(activity_date) over (
            partition by customer_id order by activity_date
        ) as next_activity_date

    -- A full build computes every spell from every active day; an incremental run
    -- from the days to rebuild (macro usage_spells_recompute_cte).
    from {{ 'recomputed_days' if recompute_some else 'active_days' }}

),

final as (

    select
        with_next.customer_id,
        with_next.activity_date as last_activity_date,
        cast(
            {{ dbt.dateadd('day', var('inactivity_days'), 'with_next.activity_date') }} as date
        ) as inactive_date,
        with_next.next_activity_date as return_date

    from with_next
    cross join reporting_dates
    where
        -- at least `inactivity_days` idle days before the next activity, or up to as_of
        {{ dbt.dateadd('day', var('inactivity_days'), 'with_next.activity_date') }}
        < coalesce(
            with_next.next_activity_date,
            {{ dbt.dateadd('day', 1, 'reporting_dates.as_of_date') }}
        )

)

select * from final
