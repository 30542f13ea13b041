-- One row per accepted event that counts for ARR under the policy in force, with the
-- instant it is recognised as effective_at (macro `policy`):
-- - cancellation_recognition `request`: a cancellation counts when the customer asked
--   (occurred_at) if that is before the end of the paid period;
-- - pause_treatment `keep_arr`: a pause changes nothing, so it is left out and the
--   subscription keeps its ARR until its next event.
-- effective_at_as_written keeps the contract's instant.

with

events as (

    select * from {{ ref('stg_raw__subscription_events') }}

),

recognised as (

    select
        *,
        {% if policy('cancellation_recognition') == 'request' -%}
            case
                when
                    event_type = 'subscription_canceled'
                    and occurred_at < effective_at
                    then occurred_at
                else effective_at
            end
        {%- else -%}
            effective_at
        {%- endif %} as recognised_at

    from events
    {%- if policy('pause_treatment') == 'keep_arr' %}
    where event_type <> 'subscription_paused'
    {%- endif %}

),

final as (

    select
        event_id,
        customer_id,
        subscription_id,
        event_type,
        recognised_at as effective_at,
        cast(recognised_at as date) as effective_date,
        effective_at as effective_at_as_written,
        occurred_at,
        ingested_at,
        plan_id,
        billing_period,
        periods_per_year,
        amount,
        currency,
        arr_local,
        discount_pct,
        churn_reason,
        churn_reason_secondary,
        churn_reason_category

    from recognised

)

select * from final
