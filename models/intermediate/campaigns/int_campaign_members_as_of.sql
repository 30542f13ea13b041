-- One row per campaign membership known at as_of_date: members assigned on or before
-- it, of campaigns that started on or before it, with a touch or a response that comes
-- later blanked (not yet happened). Every campaign metric reads members from here, so a
-- campaign mart built as of a past date equals one built on the data known then.
-- window_end_date closes the member's attribution window: attribution_window_days after
-- the touch (treatment) or the assignment (control). Until as_of_date reaches it the
-- member's outcome is not yet known (is_window_closed false), so rates that compare
-- treatment with control count only members whose window has closed.

with

members as (

    select * from {{ ref('stg_raw__campaign_members') }}

),

campaigns as (

    select * from {{ ref('int_campaigns_converted') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

known as (

    select
        members.campaign_id,
        members.customer_id,
        members.member_group,
        members.assigned_at,
        case
            when cast(members.touched_at as date) <= reporting_dates.as_of_date
                then members.touched_at
        end as touched_at,
        case
            when cast(members.responded_at as date) <= reporting_dates.as_of_date
                then members.responded_at
        end as responded_at,
        reporting_dates.as_of_date

    from members
    inner join campaigns
        on members.campaign_id = campaigns.campaign_id
    cross join reporting_dates
    where cast(members.assigned_at as date) <= reporting_dates.as_of_date

),

windowed as (

    select
        *,
        cast(
            {{ dbt.dateadd(
                'day',
                var('attribution_window_days'),
                "cast(case when member_group = 'control' then assigned_at"
                ~ " else touched_at end as date)",
            ) }} as date
        ) as window_end_date

    from known

),

final as (

    select
        campaign_id,
        customer_id,
        member_group,
        assigned_at,
        touched_at,
        responded_at,
        window_end_date,
        coalesce(window_end_date <= as_of_date, false) as is_window_closed

    from windowed

)

select * from final
