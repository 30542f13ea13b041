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

    select
        *,
        churn_date as inactive_date

    from {{ ref('int_churn_episodes') }}

),

pool as (

    select
        periods.period_grain,
        periods.period_start,
        episodes.segment,
        episodes.churn_reason_category,
        {{ months_since_churn_bucket('episodes.churn_date', 'periods.period_start') }}
            as months_since_churn_bucket,
        episodes.final_arr,
        coalesce(
            episodes.return_type = 'reactivation'
            and episodes.return_date <= periods.period_end,
            false
        ) as is_reactivated_in_period

    from {{ reactivation_pool('periods', 'episodes') }}

),

-- Every reactivation and churn in the period, whether or not the customer was in the
-- pool at its start; the bucket is the time since churn at the period's start.
period_reactivations as (

    select
        periods.period_grain,
        periods.period_start,
        episodes.segment,
        episodes.churn_reason_category,
        case
            when episodes.churn_date >= periods.period_start then '0-3'
            else {{ months_since_churn_bucket('episodes.churn_date', 'periods.period_start') }}
        end as months_since_churn_bucket,
        episodes.return_arr

    from periods
    inner join episodes
        on
            periods.period_start <= episodes.return_date
            and periods.period_end >= episodes.return_date
    where episodes.return_type = 'reactivation'

),

period_churns as (

    select
        periods.period_grain,
        periods.period_start,
        episodes.segment,
        episodes.churn_reason_category,
        '0-3' as months_since_churn_bucket,
        episodes.final_arr

    from periods
    inner join episodes
        on
            periods.period_start <= episodes.churn_date
            and periods.period_end >= episodes.churn_date

),

-- The churned ARR each months-since-churn bucket could win back in the period.
bucket_churns as (

    select
        period_grain,
        period_start,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        final_arr

    from pool

    union all

    select
        period_grain,
        period_start,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        final_arr

    from period_churns

),

all_rows as (

    {{ reactivation_rate_rows('all') }}
    union all
    {{ reactivation_rate_rows('segment', 'segment') }}
    union all
    {{ reactivation_rate_rows('churn_reason_category', 'churn_reason_category') }}
    union all
    {{ reactivation_rate_rows(
        'months_since_churn_bucket', 'months_since_churn_bucket', churns='bucket_churns'
    ) }}

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

    from all_rows

)

select * from final
