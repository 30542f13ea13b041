{#- Pre-hook of int_usage_inactivity_episodes: what a run recomputes leaves the table
    (macro usage_spells_plan). Everyone's spells in an incremental run that recomputes
    everyone. Otherwise it first writes the customers to recompute
    (macro usage_spells_changes_relation): recomputed whole (`is_whole`), those with a
    row from a file read since the last run that is rejected, or kept (not a merged
    copy of a row kept elsewhere) and dated before the window start W (macro
    usage_spells_window_start); recomputed from W, every other customer
    with an accepted day from W up to as_of_date, with the last active day of their
    spell that is open or ends on or after W (`anchor_date`, none without one). Then
    the spells of the first go, and of the others the spell that gave the anchor. -#}
{% macro usage_spells_forget(plan) %}
    {% if not is_incremental() %}
        {{ return('select 1') }}
    {% endif %}
    {% if plan.everyone %}
        {{ return('delete from ' ~ this) }}
    {% endif %}
    {% set window_start = usage_spells_window_start(plan.old_as_of) %}
    {% set changes = usage_spells_changes_relation() %}
    {% set sql %}
        create or replace table {{ changes }} as
        with

        reporting_dates as (

            select as_of_date from {{ ref('int_reporting_dates') }}

        ),

        whole as (

            {%- if plan.new_files %}
            select distinct new_rows.customer_id
            from {{ ref('base_raw__product_usage') }} as new_rows
            where
                new_rows.raw_file in {{ raw_file_sql_list(plan.new_files) }}
                and new_rows.customer_id is not null
                and (
                    new_rows.rejection_reason is not null
                    or (
                        not new_rows.is_merged_duplicate
                        and new_rows.activity_date < {{ window_start }}
                    )
                )
            {%- else %}
            select customer_id from {{ this }} where false
            {%- endif %}

        ),

        recent as (

            select distinct usage.customer_id
            from {{ ref('stg_raw__product_usage') }} as usage
            cross join reporting_dates
            where
                usage.activity_date >= {{ window_start }}
                and usage.activity_date <= reporting_dates.as_of_date
                and usage.customer_id not in (select whole.customer_id from whole)

        ),

        anchors as (

            select
                spells.customer_id,
                spells.last_activity_date
            from {{ this }} as spells
            inner join recent on spells.customer_id = recent.customer_id
            where spells.return_date is null or spells.return_date >= {{ window_start }}

        )

        select
            whole.customer_id,
            true as is_whole,
            cast(null as date) as anchor_date
        from whole
        union all
        select
            recent.customer_id,
            false as is_whole,
            anchors.last_activity_date as anchor_date
        from recent
        left join anchors on recent.customer_id = anchors.customer_id;

        delete from {{ this }}
        where
            customer_id in (
                select changes.customer_id from {{ changes }} as changes where changes.is_whole
            )
            or (
                customer_id in (
                    select changes.customer_id from {{ changes }} as changes
                    where not changes.is_whole
                )
                and (return_date is null or return_date >= {{ window_start }})
            )
    {% endset %}
    {{ return(sql) }}
{% endmacro %}
