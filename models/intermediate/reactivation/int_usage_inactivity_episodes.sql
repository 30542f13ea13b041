-- One row per spell of product inactivity (gaps and islands over product_usage): a
-- customer becomes usage-inactive once `inactivity_days` days have passed without
-- activity (inactive_date = last activity + inactivity_days) and is usage-reactivated
-- on their next activity (return_date). A spell still open at as_of_date has no return.
-- Incremental on DuckDB: a daily run recomputes the spells new usage days can change
-- (macro usage_spells_plan); elsewhere a table.

{%- set plan = usage_spells_plan() %}
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ usage_spells_forget(usage_spells_plan()) }}",
    post_hook=[
        "{{ raw_file_reader_save_versions('base_raw__product_usage') }}",
        "{{ usage_spells_save_state() }}",
    ],
) }}
-- depends_on: {{ ref('base_raw__product_usage') }}

with

-- In a daily run, only the days it recomputes from (below).
usage as (

    select * from {{ ref('stg_raw__product_usage') }}
    {%- if not plan.everyone %}
        where
            activity_date >= {{ usage_spells_window_start(plan.old_as_of) }}
            or customer_id in (
                select changes.customer_id
                from {{ usage_spells_changes_relation() }} as changes
                where changes.is_whole
            )
    {%- endif %}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

-- No distinct: a day given twice gets its own date as the next one on all but its
-- last row, and a gap of 0 days is never a spell (inactivity_days is at least 1). In
-- a daily run the usage CTE holds every day of the customers recomputed whole and
-- every other customer's days from the window start on; those customers' anchors
-- (macro usage_spells_forget) come before them.
active_days as (

    select
        usage.customer_id,
        usage.activity_date

    from usage
    cross join reporting_dates
    where usage.activity_date <= reporting_dates.as_of_date
    {%- if not plan.everyone %}

        union all

        select
            changes.customer_id,
            changes.anchor_date as activity_date

        from {{ usage_spells_changes_relation() }} as changes
        where changes.anchor_date is not null
    {%- endif %}

),

with_next as (

    select
        customer_id,
        activity_date,
        lead(activity_date) over (
            partition by customer_id order by activity_date
        ) as next_activity_date

    from active_days

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
