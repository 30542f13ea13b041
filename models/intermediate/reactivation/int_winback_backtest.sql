-- One row per customer in the inactive pool at each of four past cutoffs (90, 180, 270
-- and 360 days before as_of_date): the probability int_winback_probabilities gave with what
-- was known at the cutoff, and whether the customer did reactivate within 90 days.
-- Lets the estimator be judged on outcomes it never saw.

with

scored as (

    select * from {{ ref('int_winback_probabilities') }}
    where not is_as_of_date

),

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
