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

monthly as (

    select
        periods.period_start,
        periods.period_end,
        (
            select coalesce(sum(churns.final_arr), 0)
            from episodes as churns
            where churns.churn_date between periods.period_start and periods.period_end
        ) as churned_arr,
        (
            select count(*)
            from episodes as churns
            where
                churns.churn_date > {{ dbt.dateadd('month', -12, 'periods.period_end') }}
                and churns.churn_date <= periods.period_end
        ) as churned_accounts_12m,
        (
            select avg(churns.final_arr)
            from episodes as churns
            where
                churns.churn_date > {{ dbt.dateadd('month', -12, 'periods.period_end') }}
                and churns.churn_date <= periods.period_end
        ) as average_churned_arr_12m,
        (
            select count(*)
            from episodes as comebacks
            where
                comebacks.return_type = 'reactivation'
                and comebacks.return_date between periods.period_start and periods.period_end
        ) as actual_reactivations,
        (
            select coalesce(sum(comebacks.return_arr), 0)
            from episodes as comebacks
            where
                comebacks.return_type = 'reactivation'
                and comebacks.return_date between periods.period_start and periods.period_end
        ) as actual_reactivation_arr

    from periods

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
            ceil(
                churned_arr * {{ var('target_reactivation_rate') }}
                / nullif(average_churned_arr_12m, 0)
            ) as {{ dbt.type_bigint() }}
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
