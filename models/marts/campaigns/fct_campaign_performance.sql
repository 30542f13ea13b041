-- One row per win-back campaign: the funnel (treatment members, touched, responded,
-- reactivations attributed), what it cost and brought back (reactivation ARR, ROI, CAC,
-- payback), the lift over its control group, and the revenue its reactivations have
-- actually earned by as_of_date. Money in the reporting currency; rates are fractions
-- and null where their denominator is 0. Everything is as known at as_of_date (members,
-- touches and responses come from int_campaign_members_as_of). The lift compares like
-- with like: treatment and control rates count only members whose attribution window
-- has closed by as_of_date, since an open window's outcome is not yet known; the lift is
-- then applied to every touched member.

with

campaigns as (

    select * from {{ ref('int_campaigns_converted') }}

),

members as (

    select * from {{ ref('int_campaign_members_as_of') }}

),

attributed as (

    select * from {{ ref('int_reactivations_attributed') }}

),

controls as (

    select * from {{ ref('int_campaign_control_members') }}

),

member_counts as (

    select
        campaign_id,
        sum(case when member_group = 'treatment' then 1 else 0 end) as treatment_members,
        sum(case when member_group = 'control' then 1 else 0 end) as control_members,
        sum(
            case when member_group = 'treatment' and touched_at is not null then 1 else 0 end
        ) as touched_members,
        -- A response counts only from a member who was reached, so it never exceeds them.
        sum(
            case
                when
                    member_group = 'treatment'
                    and touched_at is not null
                    and responded_at is not null
                    then 1
                else 0
            end
        ) as responded_members,
        sum(
            case
                when
                    member_group = 'treatment'
                    and touched_at is not null
                    and is_window_closed
                    then 1
                else 0
            end
        ) as closed_touched_members

    from members
    group by campaign_id

),

attribution_totals as (

    select
        attributed.campaign_id,
        count(*) as attributed_reactivations,
        sum(
            case when members.is_window_closed then 1 else 0 end
        ) as closed_attributed_reactivations,
        sum(attributed.reactivation_arr) as reactivation_arr,
        sum(attributed.realised_revenue) as realised_revenue

    from attributed
    left join members
        on
            attributed.campaign_id = members.campaign_id
            and attributed.customer_id = members.customer_id
            and members.member_group = 'treatment'
    group by attributed.campaign_id

),

control_totals as (

    select
        campaign_id,
        sum(case when is_eligible then 1 else 0 end) as eligible_control_members,
        sum(
            case when is_eligible and is_window_closed then 1 else 0 end
        ) as closed_control_members,
        sum(
            case
                when is_eligible and is_window_closed and has_reactivated_in_window then 1
                else 0
            end
        ) as control_reactivations

    from controls
    group by campaign_id

),

counted as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.channel,
        campaigns.target_segment,
        campaigns.started_date,
        campaigns.currency,
        campaigns.cost_local,
        campaigns.cost,
        coalesce(member_counts.treatment_members, 0) as treatment_members,
        coalesce(member_counts.control_members, 0) as control_members,
        coalesce(member_counts.touched_members, 0) as touched_members,
        coalesce(member_counts.responded_members, 0) as responded_members,
        coalesce(member_counts.closed_touched_members, 0) as closed_touched_members,
        coalesce(attribution_totals.attributed_reactivations, 0) as attributed_reactivations,
        coalesce(
            attribution_totals.closed_attributed_reactivations, 0
        ) as closed_attributed_reactivations,
        coalesce(attribution_totals.reactivation_arr, 0) as reactivation_arr,
        coalesce(attribution_totals.realised_revenue, 0) as realised_revenue,
        coalesce(control_totals.eligible_control_members, 0) as eligible_control_members,
        coalesce(control_totals.closed_control_members, 0) as closed_control_members,
        coalesce(control_totals.control_reactivations, 0) as control_reactivations

    from campaigns
    left join member_counts on campaigns.campaign_id = member_counts.campaign_id
    left join attribution_totals on campaigns.campaign_id = attribution_totals.campaign_id
    left join control_totals on campaigns.campaign_id = control_totals.campaign_id

),

-- The average returning ARR, guarded here so that no later step divides by 0.
averaged as (

    select
        *,
        {{ safe_ratio('reactivation_arr', 'attributed_reactivations') }}
            as average_reactivation_arr,
        {{ safe_ratio('control_reactivations', 'closed_control_members') }}
            as control_reactivation_rate

    from counted

),

-- The lift per touched member, from members whose window has closed on both sides,
-- times every touched member. Once every window has closed this is attributed
-- reactivations - touched members x control rate. Without a closed control group or a
-- closed treatment touch there is no lift to measure yet: null, not 0.
incremental as (

    select
        *,
        {{ safe_ratio(
            'touched_members * closed_attributed_reactivations', 'closed_touched_members'
        ) }}
        - {{ safe_ratio('touched_members * control_reactivations', 'closed_control_members') }}
            as incremental_reactivations

    from averaged

),

final as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        cast(campaign_type as {{ dbt.type_string() }}) as campaign_type,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(target_segment as {{ dbt.type_string() }}) as target_segment,
        cast(started_date as date) as started_date,
        cast(currency as {{ dbt.type_string() }}) as cost_currency,
        cast(cost_local as {{ money_type() }}) as cost_local,
        cast(cost as {{ money_type() }}) as cost,
        cast(treatment_members as {{ dbt.type_bigint() }}) as treatment_members,
        cast(control_members as {{ dbt.type_bigint() }}) as control_members,
        cast(touched_members as {{ dbt.type_bigint() }}) as touched_members,
        cast(responded_members as {{ dbt.type_bigint() }}) as responded_members,
        cast(attributed_reactivations as {{ dbt.type_bigint() }}) as attributed_reactivations,
        cast(reactivation_arr as {{ money_type() }}) as reactivation_arr,
        cast(average_reactivation_arr as {{ money_type() }}) as average_reactivation_arr,
        {{ campaign_measures() }},
        cast(eligible_control_members as {{ dbt.type_bigint() }}) as eligible_control_members,
        cast(closed_touched_members as {{ dbt.type_bigint() }}) as closed_touched_members,
        cast(closed_attributed_reactivations as {{ dbt.type_bigint() }})
            as closed_attributed_reactivations,
        cast(closed_control_members as {{ dbt.type_bigint() }}) as closed_control_members,
        cast(control_reactivations as {{ dbt.type_bigint() }}) as control_reactivations,
        control_reactivation_rate,
        cast(incremental_reactivations as {{ ratio_type() }}) as incremental_reactivations,
        cast(
            incremental_reactivations * average_reactivation_arr as {{ money_type() }}
        ) as incremental_arr,
        {{ safe_ratio('incremental_reactivations * average_reactivation_arr - cost', 'cost') }}
            as incremental_roi,
        cast(realised_revenue as {{ money_type() }}) as realised_revenue

    from incremental

)

select * from final
