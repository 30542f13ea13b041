-- One row per accepted subscription event, duplicates merged.
{{ config(post_hook="{{ assert_fx_rates_in_force(this) }}") }}
-- depends_on: {{ ref('stg_raw__fx_rates') }}

with

base as (

    select * from {{ ref('base_raw__subscription_events') }}

),

churn_reason_categories as (

    select * from {{ ref('churn_reason_categories') }}

),

final as (

    select
        event_id,
        customer_id,
        subscription_id,
        event_type,
        effective_at,
        cast(effective_at as date) as effective_date,
        occurred_at,
        ingested_at,
        plan_id,
        billing_period,
        periods_per_year,
        amount,
        currency,
        -- The annualised recurring charge this event sets, in the event's currency;
        -- cancellations and pauses set it to 0.
        cast(
            case
                when event_type in ('subscription_canceled', 'subscription_paused') then 0
                else amount * periods_per_year
            end as {{ money_type() }}
        ) as arr_local,
        discount_pct,
        churn_reason,
        churn_reason_secondary,
        -- Reasons are mapped on cancellations and pauses only: no reason is `unknown`,
        -- a reason the seed does not know is `other`.
        case
            when base.event_type not in ('subscription_canceled', 'subscription_paused') then null
            when base.churn_reason is null then 'unknown'
            else coalesce(churn_reason_categories.churn_reason_category, 'other')
        end as churn_reason_category

    from base
    left join churn_reason_categories
        on {{ normalise_key('base.churn_reason') }} = churn_reason_categories.reason
    where not base.is_merged_duplicate and base.rejection_reason is null

)

select * from final
