-- One row per period (month, quarter, year): the usage-based customer reactivation
-- rate of article 1. Of the customers usage-inactive at the period's start (by the same
-- pool rule as the revenue rate), the share active again within the period.

with

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

episodes as (

    select * from {{ ref('int_usage_inactivity_episodes') }}

),

-- The month starts on which each spell of inactivity is in the pool (the rule: macro
-- reactivation_pool_bounds): every period starts on the first of a month, so each
-- spell is one row here instead of one per period it is in the pool of.
{%- set months = reactivation_pool_months('inactive_date', 'return_date', churn_grain='day') %}
pool_spells as (

    select
        return_date,
        {{ months.first_month }} as first_month,
        {{ months.last_month }} as last_month

    from episodes
    {%- if months.is_excluded is not none %}
    where not {{ months.is_excluded }}
    {%- endif %}

),

-- The spells counted by their pool months and return: the queries below read one row
-- per group (12,277 at 1M customers), not one per spell (6.5M).
spell_groups as (

    select
        first_month,
        last_month,
        return_date,
        count(*) as spells

    from pool_spells
    where last_month is null or first_month <= last_month
    group by first_month, last_month, return_date

),

-- A spell joins the pool on its first month and leaves it the month after its last.
pool_changes as (

    select
        first_month as change_month,
        spells as members

    from spell_groups

    union all

    select
        cast({{ dbt.dateadd('month', 1, 'last_month') }} as date) as change_month,
        -spells as members

    from spell_groups
    where last_month is not null

),

pool_change_months as (

    select
        change_month,
        sum(members) as members

    from pool_changes
    group by change_month

),

-- The pool at each period's start: the changes up to it, added up.
pool as (

    select
        periods.period_grain,
        periods.period_start,
        sum(pool_change_months.members) as inactive_customers

    from periods
    inner join pool_change_months
        on periods.period_start >= pool_change_months.change_month
    group by periods.period_grain, periods.period_start

),

-- The pool members back within the period: a return in the period by a customer in
-- the pool at its start.
reactivations as (

    select
        periods.period_grain,
        periods.period_start,
        sum(spell_groups.spells) as reactivated_customers

    from periods
    inner join spell_groups
        on
            periods.period_start <= spell_groups.return_date
            and periods.period_end >= spell_groups.return_date
    where
        spell_groups.first_month <= periods.period_start
        and spell_groups.last_month >= periods.period_start
    group by periods.period_grain, periods.period_start

),

counts as (

    select
        periods.period_grain,
        periods.period_start,
        coalesce(pool.inactive_customers, 0) as inactive_customers,
        coalesce(reactivations.reactivated_customers, 0) as reactivated_customers

    from periods
    left join pool
        on
            periods.period_grain = pool.period_grain
            and periods.period_start = pool.period_start
    left join reactivations
        on
            periods.period_grain = reactivations.period_grain
            and periods.period_start = reactivations.period_start

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(inactive_customers as {{ dbt.type_bigint() }}) as inactive_customers,
        cast(reactivated_customers as {{ dbt.type_bigint() }}) as reactivated_customers,
        {{ safe_ratio('reactivated_customers', 'inactive_customers') }} as reactivation_rate

    from counts

)

select * from final
