-- One row per accepted subscription event, duplicates merged.
{{ config(post_hook=[
    "{{ assert_events_usable(this) }}",
    "{{ assert_fx_rates_in_force(this) }}",
]) }}
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
        base.event_id,
        base.customer_id,
        base.subscription_id,
        base.event_type,
        base.effective_at,
        cast(base.effective_at as date) as effective_date,
        base.occurred_at,
        base.ingested_at,
        base.plan_id,
        base.billing_period,
        base.periods_per_year,
        base.amount,
        base.currency,
        -- The annualised recurring charge this event sets, in the event's currency;
        -- cancellations and pauses set it to 0.
        cast(
            case
                when base.event_type in {{ ending_event_types() }} then 0
                else base.amount * base.periods_per_year
            end as {{ money_type() }}
        ) as arr_local,
        base.discount_pct,
        base.churn_reason,
        base.churn_reason_secondary,
        -- Reasons are mapped on cancellations and pauses only: no reason is `unknown`,
        -- a reason the seed does not know is `other`.
        case
            when base.event_type not in {{ ending_event_types() }} then null
            when base.churn_reason is null then 'unknown'
            else coalesce(churn_reason_categories.churn_reason_category, 'other')
        end as churn_reason_category,
        -- The raw file the row was read from and its version (null where the raw tables
        -- are not files): with event_id, what the row is, for int_incremental_fingerprints.
        base.raw_file,
        base.raw_file_version

    from base
    left join churn_reason_categories
        on
            {{ normalise_key('base.churn_reason') }}
            = {{ normalise_key('churn_reason_categories.reason') }}
    where not base.is_merged_duplicate and base.rejection_reason is null

)

select * from final
