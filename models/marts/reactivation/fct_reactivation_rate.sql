-- One row per period (month, quarter, year) per dimension value: the customer
-- reactivation rate (reactivated / inactive pool at the period's start) and the
-- win-back rate (reactivation ARR / churned ARR of the period), in total and by
-- segment, churn-reason category and months since churn.
-- By months since churn, the win-back rate's denominator is the churned ARR of the
-- customers in that bucket during the period: the final ARR of the pool members in it
-- at the period's start, plus (in 0-3) the ARR churned during the period. The ARR won
-- back from a bucket is so set against the ARR that bucket could win back.

with

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

episodes as (

    select * from {{ ref('int_churn_episodes') }}

),

-- How the pool (the rule: macro reactivation_pool_bounds) changes from one month start
-- to the next, per segment, churn-reason category and months since churn: every period
-- starts on the first of a month, so each churn adds a few rows here instead of one per
-- period it is in the pool of.
{{ reactivation_pool_changes_ctes('episodes') }}

-- The pool at each period's start: the changes up to it, added up.
pool as (

    select
        periods.period_grain,
        periods.period_start,
        pool_changes.segment,
        pool_changes.churn_reason_category,
        pool_changes.months_since_churn_bucket,
        sum(pool_changes.members) as inactive_customers,
        sum(pool_changes.churned_arr) as pool_churned_arr

    from periods
    inner join pool_changes
        on periods.period_start >= pool_changes.change_month
    group by
        periods.period_grain,
        periods.period_start,
        pool_changes.segment,
        pool_changes.churn_reason_category,
        pool_changes.months_since_churn_bucket
    having sum(pool_changes.members) > 0

),

-- Each reactivation with the month starts its customer was in the pool on (macro
-- reactivation_pool_months: the same rule as pool_changes).
{%- set pool_months = reactivation_pool_months(
    'churn_date', 'return_date', is_pause_churn='is_pause_churn'
) %}
reactivations as (

    select
        segment,
        churn_reason_category,
        churn_date,
        return_date,
        return_arr,
        {{ pool_months.first_month }} as pool_first_month,
        {{ pool_months.last_month }} as pool_last_month,
        {{ pool_months.is_excluded if pool_months.is_excluded is not none else 'false' }}
            as is_excluded_from_pool

    from episodes
    where return_type = 'reactivation'

),

-- Every reactivation and churn in the period, whether or not the customer was in the
-- pool at its start (a reactivation also counts as one reactivated customer when it
-- was); the bucket is the time since churn at the period's start.
period_reactivations as (

    select
        periods.period_grain,
        periods.period_start,
        reactivations.segment,
        reactivations.churn_reason_category,
        {{ months_since_churn_bucket('reactivations.churn_date', 'periods.period_start') }}
            as months_since_churn_bucket,
        reactivations.return_arr,
        case
            when
                periods.period_start >= reactivations.pool_first_month
                and periods.period_start <= reactivations.pool_last_month
                and not reactivations.is_excluded_from_pool
                then 1
            else 0
        end as reactivated_customers

    from periods
    inner join reactivations
        on
            periods.period_start <= reactivations.return_date
            and periods.period_end >= reactivations.return_date

),

-- The churned ARR of each day, so that a period joins thousands of days rather than
-- every churn.
day_churns as (

    select
        churn_date,
        segment,
        churn_reason_category,
        sum(final_arr) as final_arr

    from episodes
    group by churn_date, segment, churn_reason_category

),

period_churns as (

    select
        periods.period_grain,
        periods.period_start,
        day_churns.segment,
        day_churns.churn_reason_category,
        {{ months_since_churn_bucket('day_churns.churn_date', 'periods.period_start') }}
            as months_since_churn_bucket,
        day_churns.final_arr

    from periods
    inner join day_churns
        on
            periods.period_start <= day_churns.churn_date
            and periods.period_end >= day_churns.churn_date

),

-- One row per fact (a pool member, a churn, a reactivation) with what it adds.
facts as (

    select
        period_grain,
        period_start,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        inactive_customers,
        0 as reactivated_customers,
        0 as churned_arr,
        pool_churned_arr,
        0 as reactivation_arr

    from pool

    union all

    select
        period_grain,
        period_start,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        0 as inactive_customers,
        0 as reactivated_customers,
        final_arr as churned_arr,
        0 as pool_churned_arr,
        0 as reactivation_arr

    from period_churns

    union all

    select
        period_grain,
        period_start,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        0 as inactive_customers,
        reactivated_customers,
        0 as churned_arr,
        0 as pool_churned_arr,
        return_arr as reactivation_arr

    from period_reactivations

),

-- The facts summed per period and combination of the three dimensions, so that the
-- four dimension views below add up a few thousand rows, not every fact four times.
fact_groups as (

    select
        period_grain,
        period_start,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        sum(inactive_customers) as inactive_customers,
        sum(reactivated_customers) as reactivated_customers,
        sum(churned_arr) as churned_arr,
        sum(pool_churned_arr) as pool_churned_arr,
        sum(reactivation_arr) as reactivation_arr

    from facts
    group by period_grain, period_start, segment, churn_reason_category, months_since_churn_bucket

),

dimensions as (

    select 'all' as dimension
    union all
    select 'segment' as dimension
    union all
    select 'churn_reason_category' as dimension
    union all
    select 'months_since_churn_bucket' as dimension

),

-- Each group counted once under every dimension, and an empty total row for every
-- period so that a period with nothing in it still has its `all` row.
dimensioned as (

    select
        fact_groups.period_grain,
        fact_groups.period_start,
        dimensions.dimension,
        case dimensions.dimension
            when 'all' then 'all'
            when 'segment' then fact_groups.segment
            when 'churn_reason_category' then fact_groups.churn_reason_category
            else fact_groups.months_since_churn_bucket
        end as dimension_value,
        fact_groups.inactive_customers,
        fact_groups.reactivated_customers,
        fact_groups.churned_arr
        + case
            when dimensions.dimension = 'months_since_churn_bucket'
                then fact_groups.pool_churned_arr
            else 0
        end as churned_arr,
        fact_groups.reactivation_arr

    from fact_groups
    cross join dimensions

    union all

    select
        period_grain,
        period_start,
        'all' as dimension,
        'all' as dimension_value,
        0 as inactive_customers,
        0 as reactivated_customers,
        0 as churned_arr,
        0 as reactivation_arr

    from periods

),

totals as (

    select
        period_grain,
        period_start,
        dimension,
        dimension_value,
        sum(inactive_customers) as inactive_customers,
        sum(reactivated_customers) as reactivated_customers,
        sum(churned_arr) as churned_arr,
        sum(reactivation_arr) as reactivation_arr

    from dimensioned
    group by period_grain, period_start, dimension, dimension_value

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(inactive_customers as {{ dbt.type_bigint() }}) as inactive_customers,
        cast(reactivated_customers as {{ dbt.type_bigint() }}) as reactivated_customers,
        {{ safe_ratio('reactivated_customers', 'inactive_customers') }} as reactivation_rate,
        cast(churned_arr as {{ money_type() }}) as churned_arr,
        cast(reactivation_arr as {{ money_type() }}) as reactivation_arr,
        {{ safe_ratio('reactivation_arr', 'churned_arr') }} as win_back_rate

    from totals

)

select * from final
