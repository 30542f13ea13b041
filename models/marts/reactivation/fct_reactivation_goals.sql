-- One row per month: article 2's monthly reactivation target model. The goal is the
-- month's churned ARR × target_reactivation_rate; at the average ARR of the accounts
-- churned in the trailing 12 months, it needs so many reactivations; attainment is the
-- reactivation ARR achieved over the goal.

with

periods as (

    select * from {{ ref('int_reporting_periods') }}
    where period_grain = 'month'

),

episodes as (

    select * from {{ ref('int_churn_episodes') }}

),

-- The churns and reactivations of each day, so that the months join thousands of days
-- rather than every churn.
day_churns as (

    select
        churn_date,
        count(*) as churned_accounts,
        sum(final_arr) as churned_arr

    from episodes
    group by churn_date

),

day_reactivations as (

    select
        return_date,
        count(*) as reactivations,
        sum(return_arr) as reactivation_arr

    from episodes
    where return_type = 'reactivation'
    group by return_date

),

month_churns as (

    select
        periods.period_start,
        sum(day_churns.churned_arr) as churned_arr

    from periods
    inner join day_churns
        on
            periods.period_start <= day_churns.churn_date
            and periods.period_end >= day_churns.churn_date
    group by periods.period_start

),

-- The accounts churned in the 12 months up to each month's end, and their average
-- final ARR.
trailing_churns as (

    select
        periods.period_start,
        sum(day_churns.churned_accounts) as churned_accounts_12m,
        sum(day_churns.churned_arr) / sum(day_churns.churned_accounts)
            as average_churned_arr_12m

    from periods
    inner join day_churns
        on
            {{ dbt.dateadd('month', -12, 'periods.period_end') }} < day_churns.churn_date
            and periods.period_end >= day_churns.churn_date
    group by periods.period_start

),

month_reactivations as (

    select
        periods.period_start,
        sum(day_reactivations.reactivations) as actual_reactivations,
        sum(day_reactivations.reactivation_arr) as actual_reactivation_arr

    from periods
    inner join day_reactivations
        on
            periods.period_start <= day_reactivations.return_date
            and periods.period_end >= day_reactivations.return_date
    group by periods.period_start

),

monthly as (

    select
        periods.period_start,
        coalesce(month_churns.churned_arr, 0) as churned_arr,
        coalesce(trailing_churns.churned_accounts_12m, 0) as churned_accounts_12m,
        trailing_churns.average_churned_arr_12m,
        coalesce(month_reactivations.actual_reactivations, 0) as actual_reactivations,
        coalesce(month_reactivations.actual_reactivation_arr, 0) as actual_reactivation_arr

    from periods
    left join month_churns
        on periods.period_start = month_churns.period_start
    left join trailing_churns
        on periods.period_start = trailing_churns.period_start
    left join month_reactivations
        on periods.period_start = month_reactivations.period_start

),

final as (

    select
        cast(period_start as date) as period_start,
        cast(churned_arr as {{ money_type() }}) as churned_arr,
        cast({{ var('target_reactivation_rate') }} as {{ ratio_type() }})
            as target_reactivation_rate,
        cast(churned_arr * {{ var('target_reactivation_rate') }} as {{ money_type() }})
            as reactivation_arr_goal,
        cast(churned_accounts_12m as {{ dbt.type_bigint() }}) as churned_accounts_12m,
        cast(average_churned_arr_12m as {{ money_type() }}) as average_churned_arr_12m,
        cast(
            ceil({{ safe_ratio(
                'churned_arr * ' ~ var('target_reactivation_rate'), 'average_churned_arr_12m'
            ) }}) as {{ dbt.type_bigint() }}
        ) as reactivations_needed,
        cast(actual_reactivations as {{ dbt.type_bigint() }}) as actual_reactivations,
        cast(actual_reactivation_arr as {{ money_type() }}) as actual_reactivation_arr,
        {{ safe_ratio(
            'actual_reactivation_arr',
            'churned_arr * ' ~ var('target_reactivation_rate')
        ) }} as attainment

    from monthly

)

select * from final
