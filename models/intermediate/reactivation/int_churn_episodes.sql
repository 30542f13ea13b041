-- One row per churn: when the customer's ARR went to 0, what was lost, why, and what
-- happened next (the return, if any, with the discount of a reactivation, and the next
-- churn after it). The basis of every reactivation metric: a churned customer is in
-- the inactive pool from the churn until the return or the end of the reactivation
-- window. Incremental by customer, like the ARR chain it reads: a run recomputes the
-- customers in int_customers_to_rebuild.

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

with

classified as (

    select * from {{ ref('int_arr_movements_classified') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

events as (

    select * from {{ ref('int_subscription_events_recognised') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

-- Only the rises from 0 and the falls to 0, and only the columns read below: the
-- movement after a churn is always a rise from 0 (new or reactivation), so expansions
-- and contractions change nothing here, and the windows carry every row and column
-- they are given.
movements as (

    select
        customer_id,
        movement_date,
        change_date,
        movement_type,
        arr_after,
        arr_change,
        segment,
        churn_reason_category,
        churn_reason,
        churn_reason_secondary,
        churn_event_type

    from classified
    where movement_type in ('new', 'reactivation', 'churn')

),

-- One sort: every window runs over the customer's movements in date order (the first
-- paid date over the whole frame), so the engine orders them once.
ordered as (

    select
        *,
        lead(change_date) over (
            partition by customer_id order by movement_date
        ) as next_change_date,
        lead(movement_type) over (
            partition by customer_id order by movement_date
        ) as next_movement_type,
        lead(arr_after) over (
            partition by customer_id order by movement_date
        ) as next_arr_after,
        min(case when movement_type = 'new' then movement_date end) over (
            partition by customer_id
            order by movement_date
            rows between unbounded preceding and unbounded following
        ) as first_paid_date,
        -- The first churn after each movement (for a churn: the next one, after its
        -- return).
        min(case when movement_type = 'churn' then movement_date end) over (
            partition by customer_id
            order by movement_date
            rows between 1 following and unbounded following
        ) as next_churn_date

    from movements

),

episodes as (

    select
        customer_id,
        movement_date as churn_date,
        segment,
        churn_reason_category,
        churn_reason,
        churn_reason_secondary,
        -arr_change as final_arr,
        coalesce(churn_event_type = 'subscription_paused', false) as is_pause_churn,
        first_paid_date,
        -- After a churn the ARR is 0, so the next movement, if any, is the return,
        -- dated by the day it took effect (at month grain not the month's first day).
        next_change_date as return_date,
        next_movement_type as return_type,
        next_arr_after as return_arr,
        next_churn_date

    from ordered
    where movement_type = 'churn'

),

-- The events that carry a discount, up to as_of_date like every event the movements
-- count (macro is_event_in_history): few, so the returns are matched with them rather
-- than with every event.
discounted_events as (

    select
        events.customer_id,
        events.event_type,
        events.discount_pct,
        {{ movement_period('events.effective_date') }} as period_date

    from events
    cross join reporting_dates
    where
        events.discount_pct is not null
        and {{ is_event_in_history() }}

),

-- The discount granted with the change that brought the customer back: the largest on
-- the customer's events in the return's period other than cancellations and pauses.
reactivation_discounts as (

    select
        episodes.customer_id,
        episodes.churn_date,
        max(discounted_events.discount_pct) as discount_pct

    from episodes
    inner join discounted_events
        on
            episodes.customer_id = discounted_events.customer_id
            and {{ movement_period('episodes.return_date') }} = discounted_events.period_date
            and discounted_events.event_type not in {{ ending_event_types() }}
    where episodes.return_type = 'reactivation'
    group by episodes.customer_id, episodes.churn_date

),

final as (

    select
        episodes.*,
        reactivation_discounts.discount_pct as reactivation_discount_pct

    from episodes
    left join reactivation_discounts
        on
            episodes.customer_id = reactivation_discounts.customer_id
            and episodes.churn_date = reactivation_discounts.churn_date

)

select * from final
