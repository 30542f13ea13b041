-- Fails for every month and segment whose ending customers differ from the customers
-- with ARR > 0 at the month's end, counted from each customer's ARR changes (the ARR a
-- change leaves holds until the customer's next change) rather than from the new,
-- reactivated and churned counts that the waterfall adds up.

with

changes as (

    select * from {{ ref('int_customer_arr_changes') }}

),

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

months as (

    select * from {{ ref('fct_arr_waterfall_by_segment') }}
    where period_grain = 'month'

),

held as (

    select
        changes.customer_id,
        customers.segment,
        changes.arr_after,
        changes.valuation_date as held_from,
        lead(changes.valuation_date) over (
            partition by changes.customer_id order by changes.valuation_date
        ) as held_until

    from changes
    inner join customers
        on changes.customer_id = customers.customer_id

),

-- The ARRs > 0 that start, and that stop, being held on each day, per segment.
held_boundaries as (

    select
        segment,
        held_from as boundary_day,
        1 as step

    from held
    where arr_after > 0

    union all

    select
        segment,
        held_until as boundary_day,
        -1 as step

    from held
    where arr_after > 0 and held_until is not null

),

day_steps as (

    select
        segment,
        boundary_day,
        sum(step) as step

    from held_boundaries
    group by segment, boundary_day

),

-- A month counts an ARR held from held_from until held_until when its end falls in
-- between: from the first month ending on or after held_from, up to (not including)
-- the first month ending on or after held_until. A day after the last month's end
-- starts or stops nothing that a month sees.
month_ends as (

    select distinct
        period_start,
        period_end

    from months

),

boundary_days as (

    select distinct boundary_day
    from day_steps

),

first_month_ending_on_or_after as (

    select
        boundary_days.boundary_day,
        min(month_ends.period_start) as period_start

    from boundary_days
    inner join month_ends
        on boundary_days.boundary_day <= month_ends.period_end
    group by boundary_days.boundary_day

),

month_steps as (

    select
        day_steps.segment,
        first_month.period_start,
        sum(day_steps.step) as step

    from day_steps
    inner join first_month_ending_on_or_after as first_month
        on day_steps.boundary_day = first_month.boundary_day
    group by day_steps.segment, first_month.period_start

),

paying as (

    select
        months.segment,
        months.period_start,
        sum(month_steps.step) as paying_customers

    from months
    inner join month_steps
        on
            months.segment = month_steps.segment
            and months.period_start >= month_steps.period_start
    group by months.segment, months.period_start

)

select
    months.segment,
    months.period_start,
    months.ending_customers,
    coalesce(paying.paying_customers, 0) as paying_customers

from months
left join paying
    on
        months.segment = paying.segment
        and months.period_start = paying.period_start
where months.ending_customers <> coalesce(paying.paying_customers, 0)
