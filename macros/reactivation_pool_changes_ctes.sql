{#- CTEs over `episodes` (a CTE of int_churn_episodes' columns) ending in
    `pool_changes`: how the inactive pool (the rule: macro reactivation_pool_bounds)
    changes from one month start to the next, per segment, churn-reason category and
    months-since-churn bucket (macro months_since_churn_bucket_months). One row per
    month start on which a group changes: `members` and `churned_arr` (their final ARR)
    joining (positive) or leaving (negative) it, and with `back_within_days`,
    `members_back`, the change in the members who reactivate within that many days of
    the month start. A period's pool is the sum of the changes on or before its first
    day, so the cost grows with the churns, not with the churns times the periods each
    is in the pool of. The CTEs before pool_changes are named pool_churn_dates,
    pool_churn_days, pool_episodes, pool_bucket_spans, pool_span_groups and
    pool_change_rows. -#}
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
{%- set buckets = months_since_churn_bucket_months('churn_month_start') %}

-- Each churn day with the first month start on or after it, from which the buckets count.
pool_churn_dates as (

    select distinct
        churn_date,
        {{ first_month_start_on_or_after('churn_date') }} as churn_month_start

    from {{ episodes }}

),

-- The first and the last month start of each bucket, worked out once per churn day.
pool_churn_days as (

    select
        churn_date
        {%- for bucket in buckets %}
        {%- if bucket.first_month is not none %},
        {{ bucket.first_month }} as bucket_{{ loop.index0 }}_first_month
        {%- endif %}
        {%- if bucket.last_month is not none %},
        {{ bucket.last_month }} as bucket_{{ loop.index0 }}_last_month
        {%- endif %}
        {%- endfor %}

    from pool_churn_dates

),

pool_episodes as (

    select
        {{ episodes }}.segment,
        {{ episodes }}.churn_reason_category,
        {{ episodes }}.final_arr,
        {{ pool.first_month }} as first_month,
        {{ pool.last_month }} as last_month,
        {%- if back_within_days is not none %}
        -- a member from this month start on is back within back_within_days
        case
            when {{ episodes }}.return_type = 'reactivation' then {{ back_from }}
        end as back_from_month
        {%- else %}
        cast(null as date) as back_from_month
        {%- endif %}
        {%- for bucket in buckets %}
        {%- if bucket.first_month is not none %},
        pool_churn_days.bucket_{{ loop.index0 }}_first_month
        {%- endif %}
        {%- if bucket.last_month is not none %},
        pool_churn_days.bucket_{{ loop.index0 }}_last_month
        {%- endif %}
        {%- endfor %}

    from {{ episodes }}
    inner join pool_churn_days
        on {{ episodes }}.churn_date = pool_churn_days.churn_date
    {%- if pool.is_excluded is not none %}
    where not {{ pool.is_excluded }}
    {%- endif %}

),

-- One row per episode and bucket, for the month starts in both.
pool_bucket_spans as (
    {%- for bucket in buckets %}
    {%- set first_bound = none if bucket.first_month is none else 'bucket_' ~ loop.index0 ~ '_first_month' %}
    {%- set last_bound = none if bucket.last_month is none else 'bucket_' ~ loop.index0 ~ '_last_month' %}

    select
        segment,
        churn_reason_category,
        '{{ bucket.name }}' as months_since_churn_bucket,
        final_arr,
        {%- if first_bound is none %}
        first_month,
        {%- else %}
        greatest(first_month, {{ first_bound }}) as first_month,
        {%- endif %}
        case
            when back_from_month is not null
                then greatest(first_month, {{ first_bound or 'first_month' }}, back_from_month)
        end as back_first_month,
        {%- if last_bound is none %}
        last_month
        {%- else %}
        least(last_month, {{ last_bound }}) as last_month
        {%- endif %}

    from pool_episodes
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

pool_span_groups as (

    select
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        first_month,
        last_month,
        back_first_month,
        count(*) as members,
        sum(final_arr) as churned_arr

    from pool_bucket_spans
    where last_month is null or first_month <= last_month
    group by
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        first_month,
        last_month,
        back_first_month

),

-- A span joins its group on its first month and leaves it the month after its last.
pool_change_rows as (

    select
        first_month as change_month,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        members,
        churned_arr,
        0 as members_back

    from pool_span_groups

    union all

    select
        cast({{ dbt.dateadd('month', 1, 'last_month') }} as date) as change_month,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        -members as members,
        -churned_arr as churned_arr,
        0 as members_back

    from pool_span_groups
    where last_month is not null

    union all

    select
        back_first_month as change_month,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        0 as members,
        0 as churned_arr,
        members as members_back

    from pool_span_groups
    where back_first_month <= last_month

    union all

    select
        cast({{ dbt.dateadd('month', 1, 'last_month') }} as date) as change_month,
        segment,
        churn_reason_category,
        months_since_churn_bucket,
        0 as members,
        0 as churned_arr,
        -members as members_back

    from pool_span_groups
    where back_first_month <= last_month

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
