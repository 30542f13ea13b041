-- One row per customer in the inactive pool at as_of_date: who to win back, in what
-- order and how. Priority and approach come from the editable seed
-- `winback_priority_rules` (article 2's segmentation matrix); the 90-day reactivation
-- probability from how similar past churns came back (int_winback_probabilities).
-- A customer who went out of business always gets priority `none`, whatever the seed's
-- order; a customer that no rule of the seed matches has no priority (null), and the
-- data test `winback_targets_match_a_priority_rule` stops the build naming them.

with

scored as (

    select * from {{ ref('int_winback_probabilities') }}
    where is_as_of_date

),

priority_rules as (

    select * from {{ ref('winback_priority_rules') }}

),

targets as (

    select
        *,
        cast(
            {{ date_diff_days('churn_date', 'cutoff_date') }}
            as {{ dbt.type_bigint() }}
        ) as days_since_churn,
        {{ arr_band('final_arr') }} as final_arr_band

    from scored

),

matched_rules as (

    select
        targets.customer_id,
        priority_rules.priority,
        priority_rules.recommended_approach,
        row_number() over (
            partition by targets.customer_id order by priority_rules.rule_order
        ) as match_rank

    from targets
    inner join priority_rules
        on
            priority_rules.segment in ('*', targets.segment)
            and priority_rules.churn_reason_category in ('*', targets.churn_reason_category)
            and priority_rules.arr_band in ('*', targets.final_arr_band)
            and targets.period_start >= {{ dbt.dateadd(
                'month', 'priority_rules.min_months_since_churn', 'targets.churn_date'
            ) }}
            and (
                priority_rules.max_months_since_churn is null
                or targets.period_start < {{ dbt.dateadd(
                    'month', 'priority_rules.max_months_since_churn', 'targets.churn_date'
                ) }}
            )

),

final as (

    select
        cast(targets.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(targets.segment as {{ dbt.type_string() }}) as segment,
        cast(targets.churn_reason_category as {{ dbt.type_string() }}) as churn_reason_category,
        cast(targets.churn_date as date) as churn_date,
        cast(targets.days_since_churn as {{ dbt.type_bigint() }}) as days_since_churn,
        cast(targets.months_since_churn_bucket as {{ dbt.type_string() }})
            as months_since_churn_bucket,
        cast(targets.final_arr as {{ money_type() }}) as final_arr,
        cast(targets.final_arr_band as {{ dbt.type_string() }}) as final_arr_band,
        cast(
            case
                when targets.churn_reason_category = 'out_of_business' then 'none'
                else matched_rules.priority
            end as {{ dbt.type_string() }}
        ) as priority,
        cast(
            case
                when targets.churn_reason_category = 'out_of_business'
                    then 'No reactivation effort'
                else matched_rules.recommended_approach
            end as {{ dbt.type_string() }}
        ) as recommended_approach,
        cast(targets.similar_churns as {{ dbt.type_bigint() }}) as similar_churns,
        cast(targets.reactivation_probability_90d as {{ ratio_type() }})
            as reactivation_probability_90d,
        cast(
            round(
                cast(
                    targets.reactivation_probability_90d * targets.final_arr
                    as {{ money_type() }}
                ),
                2
            ) as {{ money_type() }}
        ) as expected_arr

    from targets
    left join matched_rules
        on
            targets.customer_id = matched_rules.customer_id
            and matched_rules.match_rank = 1

)

select * from final
