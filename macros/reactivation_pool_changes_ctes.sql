{#- CTEs over `episodes` (a CTE of int_churn_episodes' columns) ending in
    `pool_changes`: how the inactive pool (the rule: macro reactivation_pool_bounds)
    changes from one month start to the next, per segment, churn-reason category and
    months-since-churn bucket (macro months_since_churn_bucket_months). One row per
    month start on which a group changes: `members` and `churned_arr` (their final ARR)
    joining (positive) or leaving (negative) it, and with `back_within_days`,
    `members_back`, the change in the members who reactivate within that many days of
    the month start. A period's pool is the sum of the changes on or before its first
    day, so the cost grows with the churns, not with the churns times the periods each
    is in the pool of. The CTEs before pool_changes are named pool_episodes,
    pool_episode_groups, pool_buckets, pool_bucket_spans, pool_bucket_months,
    pool_span_groups, pool_change_kinds and pool_change_rows. -#}
{% macro reactivation_pool_changes_ctes(episodes, back_within_days=none) %}
{%- set pool = reactivation_pool_months(
    episodes ~ '.churn_date', episodes ~ '.return_date',
    is_pause_churn=episodes ~ '.is_pause_churn'
) %}
{#- Back within N days of a month start: the first month start after the day N days
    before the return, that is on or after the day N - 1 days before it. -#}
{%- set back_from = first_month_start_on_or_after(
    dbt.dateadd('day', 1 - back_within_days, episodes ~ '.return_date')
) if back_within_days is not none else none %}
{%- set buckets = months_since_churn_bucket_months('pool_episode_groups.churn_month_start') %}

pool_episodes as (

    select
        segment,
        churn_reason_category,
        final_arr,
        -- the buckets count from the first month start on or after the churn
        {{ first_month_start_on_or_after(episodes ~ '.churn_date') }} as churn_month_start,
        {{ pool.first_month }} as first_month,
        {{ pool.last_month }} as last_month,
        {%- if back_within_days is not none %}
        -- a member from this month start on is back within back_within_days
        case
            when return_type = 'reactivation' then {{ back_from }}
        end as back_from_month
        {%- else %}
        cast(null as date) as back_from_month
        {%- endif %}

    from {{ episodes }}
    {%- if pool.is_excluded is not none %}
    where not {{ pool.is_excluded }}
    {%- endif %}

),

-- The episodes counted by what their spans depend on, before they are split by bucket.
pool_episode_groups as (

    select
        segment,
        churn_reason_category,
        churn_month_start,
        first_month,
        last_month,
        back_from_month,
        count(*) as members,
        sum(final_arr) as churned_arr

    from pool_episodes
    group by
        segment,
        churn_reason_category,
        churn_month_start,
        first_month,
        last_month,
        back_from_month

),

-- The buckets, one row each.
pool_buckets as (
    {%- for bucket in buckets %}

    select '{{ bucket.name }}' as months_since_churn_bucket
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

-- One row per group and bucket, for the month starts in both (a bound that is null is
-- no bound: greatest and least pass over it). One join rather than a union of the
-- buckets, so that engines that inline CTEs (Spark) plan the groups once.
pool_bucket_spans as (

    select
        pool_episode_groups.*,
        pool_buckets.months_since_churn_bucket,
        case pool_buckets.months_since_churn_bucket
            {%- for bucket in buckets if bucket.first_month is not none %}
            when '{{ bucket.name }}' then {{ bucket.first_month }}
            {%- endfor %}
        end as bucket_first_month,
        case pool_buckets.months_since_churn_bucket
            {%- for bucket in buckets if bucket.last_month is not none %}
            when '{{ bucket.name }}' then {{ bucket.last_month }}
            {%- endfor %}
        end as bucket_last_month

    from pool_episode_groups
    cross join pool_buckets

),

pool_bucket_months as (

    select
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        members,
        churned_arr,
        greatest(first_month, bucket_first_month) as first_month,
        least(last_month, bucket_last_month) as last_month,
        case
            when back_from_month is not null
                then greatest(first_month, bucket_first_month, back_from_month)
        end as back_first_month

    from pool_bucket_spans

),

pool_span_groups as (

    select
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        first_month,
        last_month,
        back_first_month,
        sum(members) as members,
        sum(churned_arr) as churned_arr

    from pool_bucket_months
    where last_month is null or first_month <= last_month
    group by
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        first_month,
        last_month,
        back_first_month

),

-- A span joins its group on its first month and leaves it the month after its last;
-- its members back within back_within_days count from back_first_month to the same
-- end. One row per span and change, from one join (see pool_bucket_spans).
pool_change_kinds as (

    select 'joins' as change_kind
    union all
    select 'leaves' as change_kind
    union all
    select 'back' as change_kind
    union all
    select 'back_ends' as change_kind

),

pool_change_rows as (

    select
        pool_span_groups.segment,
        pool_span_groups.churn_reason_category,
        pool_span_groups.months_since_churn_bucket,
        case pool_change_kinds.change_kind
            when 'joins' then pool_span_groups.first_month
            when 'back' then pool_span_groups.back_first_month
            else cast({{ dbt.dateadd('month', 1, 'pool_span_groups.last_month') }} as date)
        end as change_month,
        case pool_change_kinds.change_kind
            when 'joins' then pool_span_groups.members
            when 'leaves' then -pool_span_groups.members
            else 0
        end as members,
        case pool_change_kinds.change_kind
            when 'joins' then pool_span_groups.churned_arr
            when 'leaves' then -pool_span_groups.churned_arr
            else 0
        end as churned_arr,
        case pool_change_kinds.change_kind
            when 'back' then pool_span_groups.members
            when 'back_ends' then -pool_span_groups.members
            else 0
        end as members_back

    from pool_span_groups
    cross join pool_change_kinds
    where
        pool_change_kinds.change_kind = 'joins'
        or (
            pool_change_kinds.change_kind = 'leaves'
            and pool_span_groups.last_month is not null
        )
        or (
            pool_change_kinds.change_kind in ('back', 'back_ends')
            and pool_span_groups.back_first_month <= pool_span_groups.last_month
        )

),

pool_changes as (

    select
        change_month,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        sum(members) as members,
        sum(churned_arr) as churned_arr
        {%- if back_within_days is not none %},
        sum(members_back) as members_back
        {%- endif %}

    from pool_change_rows
    group by change_month, segment, churn_reason_category, months_since_churn_bucket

),
{% endmacro %}
