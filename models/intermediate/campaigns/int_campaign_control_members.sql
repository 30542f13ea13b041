-- One row per control member of a campaign: whether the member can serve as a control
-- and whether they reactivated within attribution_window_days of their assignment.
-- A control member touched by another campaign within that window is not eligible:
-- their return cannot be told apart from the other campaign's effect, so they leave
-- both the numerator and the denominator of the control reactivation rate. Until its
-- window has closed at as_of_date (is_window_closed) a member's outcome is not known.

with

members as (

    select * from {{ ref('int_campaign_members_as_of') }}

),

episodes as (

    select * from {{ ref('int_churn_episodes') }}

),

controls as (

    select
        campaign_id,
        customer_id,
        assigned_at,
        cast(assigned_at as date) as assigned_date,
        window_end_date,
        is_window_closed

    from members
    where member_group = 'control'

),

touches as (

    select
        campaign_id,
        customer_id,
        cast(touched_at as date) as touched_date

    from members
    where member_group = 'treatment' and touched_at is not null

),

reactivations as (

    select
        customer_id,
        return_date as reactivation_date

    from episodes
    where return_type = 'reactivation'

),

touched_elsewhere as (

    select distinct
        controls.campaign_id,
        controls.customer_id

    from controls
    inner join touches
        on
            controls.customer_id = touches.customer_id
            and controls.campaign_id <> touches.campaign_id
            and controls.assigned_date <= touches.touched_date
            and controls.window_end_date >= touches.touched_date

),

reactivated as (

    select
        controls.campaign_id,
        controls.customer_id,
        min(reactivations.reactivation_date) as first_reactivation_date

    from controls
    inner join reactivations
        on
            controls.customer_id = reactivations.customer_id
            and controls.assigned_date <= reactivations.reactivation_date
            and controls.window_end_date >= reactivations.reactivation_date
    group by controls.campaign_id, controls.customer_id

),

final as (

    select
        controls.campaign_id,
        controls.customer_id,
        controls.assigned_at,
        controls.assigned_date,
        controls.window_end_date,
        controls.is_window_closed,
        touched_elsewhere.customer_id is not null as is_touched_by_other_campaign,
        touched_elsewhere.customer_id is null as is_eligible,
        reactivated.first_reactivation_date,
        reactivated.customer_id is not null as has_reactivated_in_window

    from controls
    left join touched_elsewhere
        on
            controls.campaign_id = touched_elsewhere.campaign_id
            and controls.customer_id = touched_elsewhere.customer_id
    left join reactivated
        on
            controls.campaign_id = reactivated.campaign_id
            and controls.customer_id = reactivated.customer_id

)

select * from final
