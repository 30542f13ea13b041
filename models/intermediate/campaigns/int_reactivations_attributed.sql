-- One row per reactivation attributed to a win-back campaign: the campaign whose
-- treatment member the customer was, with the latest touch on or before the
-- reactivation date and at most attribution_window_days before it (compared as dates;
-- ties on touched_at go to the greatest campaign_id). A touch counts only for the first
-- reactivation on or after it. A reactivation with no such touch has no row. Also the
-- revenue the reactivation has earned by as_of_date: its ARR for the days from the
-- reactivation to the next churn or as_of_date, whichever is first.

with

episodes as (

    select * from {{ ref('int_churn_episodes') }}

),

members as (

    select * from {{ ref('int_campaign_members_as_of') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

reactivations as (

    select
        customer_id,
        churn_date,
        return_date as reactivation_date,
        return_arr as reactivation_arr,
        next_churn_date,
        lag(return_date) over (
            partition by customer_id order by churn_date
        ) as previous_reactivation_date

    from episodes
    where return_type = 'reactivation'

),

-- Only treatment members who were reached are touches; control members are never
-- contacted and an untouched member cannot have been won back by the campaign.
touches as (

    select
        campaign_id,
        customer_id,
        touched_at,
        cast(touched_at as date) as touched_date

    from members
    where member_group = 'treatment' and touched_at is not null

),

candidates as (

    select
        reactivations.customer_id,
        reactivations.churn_date,
        reactivations.reactivation_date,
        reactivations.reactivation_arr,
        reactivations.next_churn_date,
        touches.campaign_id,
        touches.touched_at,
        touches.touched_date,
        row_number() over (
            partition by reactivations.customer_id, reactivations.churn_date
            order by touches.touched_at desc, touches.campaign_id desc
        ) as touch_rank

    from reactivations
    inner join touches
        on
            reactivations.customer_id = touches.customer_id
            and reactivations.reactivation_date >= touches.touched_date
            and {{ date_diff_days('touches.touched_date', 'reactivations.reactivation_date') }}
            <= {{ var('attribution_window_days') }}
            -- A touch wins at most one reactivation: the first on or after it. Without
            -- this, one touch could claim a customer's second return too, and a campaign
            -- could count more reactivations than members it touched.
            and (
                reactivations.previous_reactivation_date < touches.touched_date
                or reactivations.previous_reactivation_date is null
            )

),

attributed as (

    select
        candidates.*,
        -- Revenue stops at the next churn; one still active earns up to as_of_date.
        case
            when
                candidates.next_churn_date is not null
                and candidates.next_churn_date < reporting_dates.as_of_date
                then candidates.next_churn_date
            else reporting_dates.as_of_date
        end as realised_until_date

    from candidates
    cross join reporting_dates
    where candidates.touch_rank = 1

),

realised as (

    select
        *,
        case
            when realised_until_date > reactivation_date
                then {{ date_diff_days('reactivation_date', 'realised_until_date') }}
            else 0
        end as realised_days

    from attributed

),

final as (

    select
        customer_id,
        churn_date,
        reactivation_date,
        reactivation_arr,
        next_churn_date,
        campaign_id,
        touched_at,
        touched_date,
        cast(
            {{ date_diff_days('touched_date', 'reactivation_date') }}
            as {{ dbt.type_bigint() }}
        ) as days_from_touch,
        realised_until_date,
        cast(realised_days as {{ dbt.type_bigint() }}) as realised_days,
        cast(reactivation_arr * realised_days / 365.0 as {{ money_type() }}) as realised_revenue

    from realised

)

select * from final
