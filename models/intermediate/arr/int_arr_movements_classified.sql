-- One row per customer per movement period in which their ARR changes: new,
-- reactivation, expansion, contraction or churn, by the rule in
-- `classify_arr_movement`. change_date is the day the movement took effect: at day
-- grain the movement's own date; at month grain the day within the month on which the
-- customer's ARR rose from 0 (new, reactivation) or last fell to 0 (churn), since the
-- day of a return is a fact of the data and the grain only decides what nets out.
-- Policy (macro `policy`): under short_lived_customers `exclude` a spell of ARR that
-- rises from 0 and falls back to 0 within one calendar month is left out before
-- classification; churn_event_type says whether a churn was caused by a cancellation
-- or a pause (pause_treatment `churn_without_reactivation` never reactivates after a
-- pause).

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

{%- set leave_out_short_lived = policy('short_lived_customers') == 'exclude' %}

with

changes as (

    select * from {{ ref('int_customer_arr_changes') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

events as (

    select * from {{ ref('int_subscription_events_dated') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

recognised_events as (

    select * from {{ ref('int_subscription_events_recognised') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

-- The cancellation (or pause) that took the customer's last ARR away: the latest
-- ending event of the customer in the churn's period on a subscription that had ARR
-- (ending a free trial takes no ARR away).
last_ending_events as (

    select
        customer_id,
        period_date,
        event_id,
        event_type,
        row_number() over (
            partition by customer_id, period_date
            order by {{ event_order('desc') }}
        ) as recency_rank

    from events
    where
        event_type in {{ ending_event_types() }}
        and previous_arr_local > 0

),

-- With its reasons, found by event_id: int_subscription_events_dated does not carry
-- them through its sort of every event. The event type only narrows the lookup to the
-- ending events before the join (an event_id is one event).
ending_events as (

    select
        last_ending_events.customer_id,
        last_ending_events.period_date,
        last_ending_events.event_type,
        recognised_events.churn_reason,
        recognised_events.churn_reason_secondary,
        recognised_events.churn_reason_category

    from last_ending_events
    left join recognised_events
        on
            last_ending_events.event_id = recognised_events.event_id
            and recognised_events.event_type in {{ ending_event_types() }}
    where last_ending_events.recency_rank = 1

),

{% if leave_out_short_lived -%}
-- A spell runs from a rise from 0 through the next fall to 0; one that falls back in
-- the calendar month it rose in is left out.
spells as (

    select
        *,
        sum(case when arr_before = 0 then 1 else 0 end) over (
            partition by customer_id
            order by period_date
            rows between unbounded preceding and current row
        ) as spell_number

    from changes

),

spell_bounds as (

    select
        customer_id,
        spell_number,
        min(period_date) as spell_start_date,
        max(case when arr_after = 0 then period_date end) as spell_end_date

    from spells
    group by customer_id, spell_number

),

{% endif -%}
counted_changes as (

    select {{ 'spells' if leave_out_short_lived else 'changes' }}.*

    from {{ 'spells' if leave_out_short_lived else 'changes' }}
    {%- if leave_out_short_lived %}
    inner join spell_bounds
        on
            spells.customer_id = spell_bounds.customer_id
            and spells.spell_number = spell_bounds.spell_number
    where
        spell_bounds.spell_end_date is null
        or {{ dbt.date_trunc('month', 'spell_bounds.spell_start_date') }}
        <> {{ dbt.date_trunc('month', 'spell_bounds.spell_end_date') }}
    {%- endif %}

),

-- The event type that took the last ARR away in each churn (cancellation or pause).
changes_with_cause as (

    select
        counted_changes.*,
        ending_events.event_type as churn_event_type

    from counted_changes
    left join ending_events
        on
            counted_changes.arr_before > 0
            and counted_changes.arr_after = 0
            and counted_changes.customer_id = ending_events.customer_id
            and counted_changes.period_date = ending_events.period_date

),

history as (

    select
        *,
        {{ arr_history_columns('customer_id', 'period_date', 'arr_before', 'arr_after') }},
        max(
            case
                when churn_event_type = 'subscription_paused' then period_date
            end
        ) over (
            partition by customer_id
            order by period_date
            rows between unbounded preceding and 1 preceding
        ) as last_pause_churn_date

    from changes_with_cause

),

classified as (

    select
        *,
        {{ classify_arr_movement(
            'arr_before', 'arr_after', 'has_paid_before', 'last_churn_date', 'period_date',
            'coalesce(last_pause_churn_date = last_churn_date, false)'
        ) }} as movement_type

    from history

),


{% if var('movement_grain') == 'month' -%}
-- Each subscription's state at the end of each day with events, and the day before.
subscription_days as (

    select
        customer_id,
        subscription_id,
        effective_date,
        period_date,
        arr_local,
        row_number() over (
            partition by customer_id, subscription_id, effective_date
            order by {{ event_order('desc') }}
        ) as rank_in_day

    from events

),

subscription_day_changes as (

    select
        *,
        lag(arr_local) over (
            partition by customer_id, subscription_id order by effective_date
        ) as previous_day_arr_local

    from subscription_days
    where rank_in_day = 1

),

-- With the customer at 0 at the start of the month, the first day a subscription ends
-- above 0 is the day they came back; with them at 0 at its end, the last day a
-- subscription falls to 0 is the day the last ARR ended.
change_days as (

    select
        customer_id,
        period_date,
        min(
            case
                when arr_local > 0 and coalesce(previous_day_arr_local, 0) = 0
                    then effective_date
            end
        ) as first_rise_date,
        max(
            case
                when arr_local = 0 and previous_day_arr_local > 0 then effective_date
            end
        ) as last_fall_date

    from subscription_day_changes
    group by customer_id, period_date

),

{% endif -%}
final as (

    select
        cast(classified.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(classified.period_date as date) as movement_date,
        {% if var('movement_grain') == 'month' -%}
            cast(
                case
                    when classified.movement_type in ('new', 'reactivation')
                        then coalesce(change_days.first_rise_date, classified.period_date)
                    when classified.movement_type = 'churn'
                        then coalesce(change_days.last_fall_date, classified.period_date)
                    else classified.period_date
                end as date
            )
        {%- else -%}
            cast(classified.period_date as date)
        {%- endif %} as change_date,
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
                    then {{ date_diff_days(
                        'classified.last_churn_date', 'classified.period_date'
                    ) }}
            end as {{ dbt.type_bigint() }}
        ) as days_since_churn,
        cast(classified.last_churn_date as date) as previous_churn_date,
        cast(classified.churn_event_type as {{ dbt.type_string() }}) as churn_event_type,
        cast(classified.valuation_date as date) as valuation_date

    from classified
    left join customers
        on classified.customer_id = customers.customer_id
    left join ending_events
        on
            classified.movement_type = 'churn'
            and classified.customer_id = ending_events.customer_id
            and classified.period_date = ending_events.period_date
    {%- if var('movement_grain') == 'month' %}
    left join change_days
        on
            classified.customer_id = change_days.customer_id
            and classified.period_date = change_days.period_date
    {%- endif %}

)

select * from final
