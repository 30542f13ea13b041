-- One row per customer in the inactive pool at each of four past cutoffs (90, 180, 270
-- and 360 days before as_of_date): the probability `winback_probability` gave with what
-- was known at the cutoff, and whether the customer did reactivate within 90 days.
-- Lets the estimator be judged on outcomes it never saw.

with

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

offsets as (

    select 90 as days_back
    union all
    select 180 as days_back
    union all
    select 270 as days_back
    union all
    select 360 as days_back

),

cutoffs as (

    select
        cast({{ dbt.dateadd('day', '-offsets.days_back', 'reporting_dates.as_of_date') }} as date)
            as cutoff_date,
        cast(
            {{ dbt.dateadd('day', '1 - offsets.days_back', 'reporting_dates.as_of_date') }} as date
        ) as period_start

    from offsets
    cross join reporting_dates

),

{{ winback_probability() }},

final as (

    select
        cutoff_date,
        customer_id,
        churn_date,
        reactivation_probability_90d,
        coalesce(
            return_type = 'reactivation'
            and return_date <= {{ dbt.dateadd('day', 90, 'cutoff_date') }},
            false
        ) as reactivated_within_90d

    from scored

)

select * from final
