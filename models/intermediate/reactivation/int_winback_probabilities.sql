-- One row per customer in the inactive pool at each cutoff of int_winback_cutoffs:
-- the 90-day reactivation probability learned only from what was known by then.
-- Estimator: every churned customer in the pool at a month start s, with s + 90 days on
-- or before the cutoff, is one observation; it succeeds when the customer reactivated
-- before s + 90 days. Observations are grouped by segment x churn-reason category x
-- months since churn; a group's rate is shrunk toward the overall rate,
-- (successes + m x overall) / (observations + m), with m = var winback_prior_strength,
-- so a small group leans on the overall rate and a large one on its own. Before any
-- observation there is no overall rate and the probability is null.

with

episodes as (

    select * from {{ ref('int_churn_episodes') }}

),

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

cutoffs as (

    select * from {{ ref('int_winback_cutoffs') }}

),

months as (

    select period_start from periods
    where period_grain = 'month'

),

-- How the pool changes from one month start to the next per group, with the members
-- back within 90 days of the month start (the rule: macro reactivation_pool_bounds).
{{ reactivation_pool_changes_ctes('episodes', back_within_days=90) }}

-- The observations of one month start, counted per group: the changes up to it, added
-- up. A cutoff sees the month starts at least 90 days before it, so each cutoff sums a
-- few hundred counts instead of repeating every observation.
snapshot_groups as (

    select
        months.period_start,
        pool_changes.segment,
        pool_changes.churn_reason_category,
        pool_changes.months_since_churn_bucket,
        sum(pool_changes.members) as observations,
        sum(pool_changes.members_back) as successes

    from months
    inner join pool_changes
        on months.period_start >= pool_changes.change_month
    group by
        months.period_start,
        pool_changes.segment,
        pool_changes.churn_reason_category,
        pool_changes.months_since_churn_bucket
    having sum(pool_changes.members) > 0

),

observed as (

    select
        cutoffs.cutoff_date,
        snapshot_groups.*

    from cutoffs
    inner join snapshot_groups
        on {{ dbt.dateadd('day', 90, 'snapshot_groups.period_start') }} <= cutoffs.cutoff_date

),

overall_rates as (

    select
        cutoffs.cutoff_date,
        -- Null, not 0, before any churn has been observed for 90 days: nothing is
        -- known yet, so every probability is null too.
        {{ safe_ratio('sum(observed.successes)', 'sum(observed.observations)') }} as overall_rate

    from cutoffs
    left join observed
        on cutoffs.cutoff_date = observed.cutoff_date
    group by cutoffs.cutoff_date

),

group_rates as (

    select
        cutoff_date,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        cast(sum(observations) as {{ dbt.type_bigint() }}) as observations,
        cast(sum(successes) as {{ dbt.type_bigint() }}) as successes

    from observed
    group by cutoff_date, segment, churn_reason_category, months_since_churn_bucket

),

pool_at_cutoff as (

    select
        cutoffs.cutoff_date,
        cutoffs.period_start,
        cutoffs.is_as_of_date,
        episodes.*,
        {{ months_since_churn_bucket('episodes.churn_date', 'cutoffs.period_start') }}
            as months_since_churn_bucket

    from cutoffs
    inner join episodes
        on {{ is_in_reactivation_pool(
            'episodes.churn_date', 'episodes.return_date', 'cutoffs.period_start',
            is_pause_churn='episodes.is_pause_churn'
        ) }}

),

scored as (

    select
        pool_at_cutoff.*,
        coalesce(group_rates.observations, 0) as similar_churns,
        overall_rates.overall_rate,
        (
            coalesce(group_rates.successes, 0)
            + {{ var('winback_prior_strength') }} * overall_rates.overall_rate
        ) / (coalesce(group_rates.observations, 0) + {{ var('winback_prior_strength') }})
            as reactivation_probability_90d

    from pool_at_cutoff
    inner join overall_rates
        on pool_at_cutoff.cutoff_date = overall_rates.cutoff_date
    left join group_rates
        on
            pool_at_cutoff.cutoff_date = group_rates.cutoff_date
            and pool_at_cutoff.segment = group_rates.segment
            and pool_at_cutoff.churn_reason_category = group_rates.churn_reason_category
            and pool_at_cutoff.months_since_churn_bucket
            = group_rates.months_since_churn_bucket

),

final as (

    select * from scored

)

select * from final
