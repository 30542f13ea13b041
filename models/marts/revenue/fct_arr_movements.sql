-- One row per customer per movement period in which their ARR changes: new,
-- reactivation, expansion, contraction or churn, by the rule in
-- `classify_arr_movement`.

with

changes as (

    select * from {{ ref('int_customer_arr_changes') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

events as (

    select * from {{ ref('int_subscription_events_dated') }}

),

history as (

    select
        *,
        {{ arr_history_columns('customer_id', 'period_date', 'arr_before', 'arr_after') }}

    from changes

),

classified as (

    select
        *,
        {{ classify_arr_movement(
            'arr_before', 'arr_after', 'has_paid_before', 'last_churn_date', 'period_date'
        ) }} as movement_type

    from history

),

-- The ARR each event's subscription had just before it, in event order.
events_with_previous as (

    select
        *,
        lag(arr_local) over (
            partition by customer_id, subscription_id
            order by {{ event_order('asc') }}
        ) as previous_arr_local

    from events

),

-- The cancellation (or pause) that took the customer's last ARR away: the latest
-- ending event of the customer in the churn's period on a subscription that had ARR
-- (ending a free trial takes no ARR away).
ending_events as (

    select
        customer_id,
        period_date,
        churn_reason,
        churn_reason_secondary,
        churn_reason_category,
        row_number() over (
            partition by customer_id, period_date
            order by {{ event_order('desc') }}
        ) as recency_rank

    from events_with_previous
    where
        event_type in ('subscription_canceled', 'subscription_paused')
        and previous_arr_local > 0

),

final as (

    select
        cast(classified.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(classified.period_date as date) as movement_date,
        cast(classified.movement_type as {{ dbt.type_string() }}) as movement_type,
        cast(classified.arr_before as {{ money_type() }}) as arr_before,
        cast(classified.arr_after as {{ money_type() }}) as arr_after,
        cast(classified.arr_after - classified.arr_before as {{ money_type() }}) as arr_change,
        cast(coalesce(customers.segment, 'unknown') as {{ dbt.type_string() }}) as segment,
        (
            classified.movement_type in ('new', 'reactivation')
            and classified.has_paid_before
        ) as is_returning_customer,
        cast(
            case
                when classified.movement_type = 'churn'
                    then coalesce(ending_events.churn_reason_category, 'unknown')
            end as {{ dbt.type_string() }}
        ) as churn_reason_category,
        cast(
            case when classified.movement_type = 'churn' then ending_events.churn_reason end
            as {{ dbt.type_string() }}
        ) as churn_reason,
        cast(
            case
                when classified.movement_type = 'churn' then ending_events.churn_reason_secondary
            end as {{ dbt.type_string() }}
        ) as churn_reason_secondary,
        cast(
            case
                when
                    classified.movement_type in ('new', 'reactivation')
                    and classified.has_paid_before
                    then {{ dbt.datediff(
                        'classified.last_churn_date', 'classified.period_date', 'day'
                    ) }}
            end as {{ dbt.type_bigint() }}
        ) as days_since_churn,
        cast(classified.last_churn_date as date) as previous_churn_date,
        cast(classified.valuation_date as date) as valuation_date

    from classified
    left join customers
        on classified.customer_id = customers.customer_id
    left join ending_events
        on
            classified.movement_type = 'churn'
            and classified.customer_id = ending_events.customer_id
            and classified.period_date = ending_events.period_date
            and ending_events.recency_rank = 1

)

select * from final
