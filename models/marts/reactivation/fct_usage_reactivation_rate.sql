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

pool as (

    select
        periods.period_grain,
        periods.period_start,
        episodes.customer_id,
        coalesce(episodes.return_date <= periods.period_end, false) as is_reactivated_in_period

    from periods
    inner join episodes
        on {{ is_in_reactivation_pool(
            'episodes.inactive_date', 'episodes.return_date', 'periods.period_start',
            churn_grain='day'
        ) }}

),

counts as (

    select
        periods.period_grain,
        periods.period_start,
        count(pool.customer_id) as inactive_customers,
        sum(case when pool.is_reactivated_in_period then 1 else 0 end) as reactivated_customers

    from periods
    left join pool
        on
            periods.period_grain = pool.period_grain
            and periods.period_start = pool.period_start
    group by periods.period_grain, periods.period_start

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(inactive_customers as {{ dbt.type_bigint() }}) as inactive_customers,
        cast(coalesce(reactivated_customers, 0) as {{ dbt.type_bigint() }})
            as reactivated_customers,
        {{ safe_ratio('reactivated_customers', 'inactive_customers') }} as reactivation_rate

    from counts

)

select * from final
