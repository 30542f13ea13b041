-- One row per customer per movement period in which their ARR changes: the ARR at the
-- end of the previous period and at the end of this one, both valued at the rates in
-- force at the end of this period, so exchange rates alone never make a movement.
-- Under fx_valuation `service_start` the ARR before also carries the revaluation made
-- at this period's events (delta_revaluation), which is fx_impact, not a movement.
-- A customer who has only ever held one currency (nearly everyone) is valued from
-- their own rows; only a customer with several needs each currency's level carried
-- to every period of change, so only they go through the customer × currency grid.
-- The changes are read from their table in each branch, and each branch is valued on
-- its own: a CTE read by several would be held in full (5M rows at 1M customers).

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

with

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

multi_currency_customers as (

    select customer_id

    from {{ ref('int_customer_currency_deltas') }}
    {{- only_customers_to_rebuild('customer_id') }}
    group by 1
    having min(currency) <> max(currency)

),

-- One currency: each row is a period of change, and the running sum is the level.
single_currency_levels as (

    select
        deltas.customer_id,
        deltas.period_date,
        deltas.currency,
        coalesce(deltas.delta_local, 0) as delta_local,
        coalesce(deltas.delta_revaluation, 0) as delta_revaluation,
        sum(coalesce(deltas.delta_local, 0)) over (
            partition by deltas.customer_id
            order by deltas.period_date
            rows between unbounded preceding and current row
        ) as level_local

    from (
        select * from {{ ref('int_customer_currency_deltas') }}
        {{- only_customers_to_rebuild('customer_id') }}
    ) as deltas
    left join multi_currency_customers
        on deltas.customer_id = multi_currency_customers.customer_id
    where multi_currency_customers.customer_id is null

),

multi_currency_deltas as (

    select deltas.*

    from {{ ref('int_customer_currency_deltas') }} as deltas
    inner join multi_currency_customers
        on deltas.customer_id = multi_currency_customers.customer_id

),

customer_periods as (

    select distinct
        customer_id,
        period_date

    from multi_currency_deltas

),

customer_currencies as (

    select distinct
        customer_id,
        currency

    from multi_currency_deltas

),

-- Several currencies: each one the customer has ever held, at each of their change
-- periods, so that ARR in a currency that did not change is still part of the total.
multi_currency_levels as (

    select
        customer_periods.customer_id,
        customer_periods.period_date,
        customer_currencies.currency,
        coalesce(multi_currency_deltas.delta_local, 0) as delta_local,
        coalesce(multi_currency_deltas.delta_revaluation, 0) as delta_revaluation,
        sum(coalesce(multi_currency_deltas.delta_local, 0)) over (
            partition by customer_periods.customer_id, customer_currencies.currency
            order by customer_periods.period_date
            rows between unbounded preceding and current row
        ) as level_local

    from customer_periods
    inner join customer_currencies
        on customer_periods.customer_id = customer_currencies.customer_id
    left join multi_currency_deltas
        on
            customer_periods.customer_id = multi_currency_deltas.customer_id
            and customer_periods.period_date = multi_currency_deltas.period_date
            and customer_currencies.currency = multi_currency_deltas.currency

),

-- The ARR before and after each period of change at the period's closing rate, rounded
-- to the money type: a single currency's level as it is (macro value_at_rate), several
-- currencies' levels summed, then rounded.
valued as (

    select
        levels.customer_id,
        levels.period_date,
        {{ period_valuation_date('levels.period_date', 'reporting_dates.as_of_date') }}
            as valuation_date,
        {{ value_at_rate(
            'levels.level_local - levels.delta_local + levels.delta_revaluation',
            'fx_rates.rate_to_reporting'
        ) }} as arr_before,
        {{ value_at_rate('levels.level_local', 'fx_rates.rate_to_reporting') }} as arr_after

    from single_currency_levels as levels
    cross join reporting_dates
    left join fx_rates
        on
            levels.currency = fx_rates.currency
            and {{ period_valuation_date('levels.period_date', 'reporting_dates.as_of_date') }}
            = fx_rates.rate_date

    union all

    select
        levels.customer_id,
        levels.period_date,
        {{ period_valuation_date('levels.period_date', 'reporting_dates.as_of_date') }}
            as valuation_date,
        cast(round(sum(
            (levels.level_local - levels.delta_local + levels.delta_revaluation)
            * fx_rates.rate_to_reporting
        ), 6) as {{ money_type() }}) as arr_before,
        cast(round(sum(levels.level_local * fx_rates.rate_to_reporting), 6) as {{ money_type() }})
            as arr_after

    from multi_currency_levels as levels
    cross join reporting_dates
    left join fx_rates
        on
            levels.currency = fx_rates.currency
            and {{ period_valuation_date('levels.period_date', 'reporting_dates.as_of_date') }}
            = fx_rates.rate_date
    group by 1, 2, 3

),

final as (

    select
        customer_id,
        period_date,
        valuation_date,
        arr_before,
        arr_after

    from valued
    where arr_before <> arr_after

)

select * from final
