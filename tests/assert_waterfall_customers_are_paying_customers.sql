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

paying as (

    select
        months.segment,
        months.period_start,
        count(*) as paying_customers

    from months
    inner join held
        on
            months.segment = held.segment
            and months.period_end >= held.held_from
            and (months.period_end < held.held_until or held.held_until is null)
    where held.arr_after > 0
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
