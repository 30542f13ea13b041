{#- In an incremental run of int_usage_inactivity_episodes (DuckDB), the CTEs that
    give `recomputed_days`, each followed by a comma: the active days (the model's CTE
    `active_days`) from each customer's first day recomputed (working table `rebuild`,
    macro usage_spells_to_rebuild: their own or everyone's, whichever is earlier), with
    their last active day before it, whose spell is recomputed too. Empty in a full
    build, which computes every spell from every active day. -#}
{% macro usage_spells_recompute_cte() %}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
-- The days to rebuild (macro usage_spells_to_rebuild).
rebuild as (

    select * from {{ usage_spells_working_table('rebuild') }}

),

everyone as (

    select
        is_everyone,
        rebuild_from_date

    from rebuild
    where customer_id is null

),

-- Each active day with its customer's first day recomputed: their own or everyone's,
-- whichever is earlier (null: none of their days).
days_with_start as (

    select
        active_days.customer_id,
        active_days.activity_date,
        everyone.is_everyone,
        case
            when customers.rebuild_from_date is null then everyone.rebuild_from_date
            when everyone.rebuild_from_date is null then customers.rebuild_from_date
            when customers.rebuild_from_date < everyone.rebuild_from_date
                then customers.rebuild_from_date
            else everyone.rebuild_from_date
        end as rebuild_from_date

    from active_days
    cross join everyone
    left join rebuild as customers
        on active_days.customer_id = customers.customer_id

),

-- Each customer's last active day before their first day recomputed: the spell that
-- follows it, if any, is recomputed too.
last_days_before as (

    select
        customer_id,
        max(activity_date) as activity_date

    from days_with_start
    where not is_everyone and activity_date < rebuild_from_date
    group by customer_id

),

-- The days the spells are recomputed from.
recomputed_days as (

    select
        customer_id,
        activity_date

    from days_with_start
    where is_everyone or activity_date >= rebuild_from_date

    union all

    select
        customer_id,
        activity_date

    from last_days_before

),
{% endmacro %}
