-- One row per churn: the article's reactivation tracking fields. Who churned, when,
-- why, with what ARR and tenure, how they used the product before, and, where they came
-- back within the reactivation window, when, with what ARR and discount, and whether
-- they churned again within a year.

with

episodes as (

    select * from {{ ref('int_churn_episodes') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

usage_levels as (

    select * from {{ ref('int_churn_usage_before') }}

),

attributions as (

    select * from {{ ref('int_reactivations_attributed') }}

),

final as (

    select
        cast(episodes.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(episodes.churn_date as date) as churn_date,
        cast(episodes.segment as {{ dbt.type_string() }}) as segment,
        cast(episodes.churn_reason_category as {{ dbt.type_string() }}) as churn_reason_category,
        cast(episodes.churn_reason_secondary as {{ dbt.type_string() }})
            as churn_reason_secondary,
        cast(episodes.final_arr as {{ money_type() }}) as final_arr,
        cast(
            {{ date_diff_days('episodes.first_paid_date', 'episodes.churn_date') }}
            as {{ dbt.type_bigint() }}
        ) as tenure_days,
        cast(
            case
                when not usage_levels.has_usage_data then null
                when usage_levels.active_days >= {{ var('pre_churn_active_days') }}
                    then 'active'
                when usage_levels.active_days >= {{ var('pre_churn_low_days') }}
                    then 'low'
                else 'minimal'
            end as {{ dbt.type_string() }}
        ) as pre_churn_usage_level,
        cast(
            case when episodes.return_type = 'reactivation' then episodes.return_date end
            as date
        ) as reactivated_date,
        cast(
            case when episodes.return_type = 'reactivation' then episodes.return_arr end
            as {{ money_type() }}
        ) as reactivation_arr,
        cast(
            case
                when episodes.return_type = 'reactivation'
                    then {{ date_diff_days('episodes.churn_date', 'episodes.return_date') }}
            end as {{ dbt.type_bigint() }}
        ) as days_to_reactivation,
        cast(episodes.reactivation_discount_pct as {{ money_type() }})
            as reactivation_discount_pct,
        cast(attributions.campaign_id as {{ dbt.type_string() }}) as attributed_campaign_id,
        case
            when episodes.return_type <> 'reactivation' or episodes.return_type is null
                then null
            when
                episodes.next_churn_date
                <= {{ dbt.dateadd('day', 365, 'episodes.return_date') }}
                then true
            when
                {{ dbt.dateadd('day', 365, 'episodes.return_date') }}
                <= reporting_dates.as_of_date
                then false
        end as is_second_churn_within_365d,
        cast(
            case when episodes.return_type = 'new' then episodes.return_date end as date
        ) as returned_as_new_date

    from episodes
    cross join reporting_dates
    inner join usage_levels
        on
            episodes.customer_id = usage_levels.customer_id
            and episodes.churn_date = usage_levels.churn_date
    left join attributions
        on
            episodes.customer_id = attributions.customer_id
            and episodes.churn_date = attributions.churn_date

)

select * from final
