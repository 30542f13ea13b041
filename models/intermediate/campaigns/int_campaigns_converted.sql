-- One row per accepted campaign started on or before as_of_date (a later one has not
-- happened yet): its attributes and its cost in the reporting currency, converted at
-- the rate in force on the campaign's start date (the latest rate_date on or before
-- it). A cost in a currency with no rate in force never gets here: the post-hook on
-- stg_raw__campaigns stops the build.

with

campaigns as (

    select * from {{ ref('stg_raw__campaigns') }}

),

rate_intervals as (

    select * from {{ ref('int_fx_rate_intervals') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

campaigns_dated as (

    select
        campaigns.*,
        cast(campaigns.started_at as date) as started_date

    from campaigns
    cross join reporting_dates
    where cast(campaigns.started_at as date) <= reporting_dates.as_of_date

),

final as (

    select
        campaigns_dated.campaign_id,
        campaigns_dated.campaign_name,
        campaigns_dated.campaign_type,
        campaigns_dated.channel,
        campaigns_dated.target_segment,
        campaigns_dated.started_at,
        campaigns_dated.ended_at,
        campaigns_dated.started_date,
        campaigns_dated.currency,
        campaigns_dated.cost as cost_local,
        rate_intervals.rate_to_reporting,
        cast(
            campaigns_dated.cost * rate_intervals.rate_to_reporting as {{ money_type() }}
        ) as cost

    from campaigns_dated
    left join rate_intervals
        on {{ rate_in_force(
            'rate_intervals', 'campaigns_dated.currency', 'campaigns_dated.started_date'
        ) }}

)

select * from final
