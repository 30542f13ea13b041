-- One row per customer per movement period in which their ARR changes: the ARR at the
-- end of the previous period and at the end of this one, both valued at the rates in
-- force at the end of this period, so exchange rates alone never make a movement.
-- Under fx_valuation `service_start` the ARR before also carries the revaluation made
-- at this period's events (delta_revaluation), which is fx_impact, not a movement.

{{ config(
    materialized=incremental_by_customer_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_customers_to_rebuild() }}",
) }}
-- depends_on: {{ ref('int_customers_to_rebuild') }}

with

deltas as (

    select * from {{ ref('int_customer_currency_deltas') }}
    {{- only_customers_to_rebuild('customer_id') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

customer_periods as (

    select distinct
        customer_id,
        period_date

    from deltas

),

customer_currencies as (

    select distinct
        customer_id,
        currency

    from deltas

),

-- Each currency the customer has ever held, at each of their change periods, so that
-- ARR in a currency that did not change is still part of the total.
levels as (

    select
        customer_periods.customer_id,
        customer_periods.period_date,
        customer_currencies.currency,
        coalesce(deltas.delta_local, 0) as delta_local,
        coalesce(deltas.delta_revaluation, 0) as delta_revaluation,
        sum(coalesce(deltas.delta_local, 0)) over (
            partition by customer_periods.customer_id, customer_currencies.currency
            order by customer_periods.period_date
            rows between unbounded preceding and current row
        ) as level_local

    from customer_periods
    inner join customer_currencies
        on customer_periods.customer_id = customer_currencies.customer_id
    left join deltas
        on
            customer_periods.customer_id = deltas.customer_id
            and customer_periods.period_date = deltas.period_date
            and customer_currencies.currency = deltas.currency

),

valued as (

    select
        levels.customer_id,
        levels.period_date,
        {{ period_valuation_date('levels.period_date', 'reporting_dates.as_of_date') }}
            as valuation_date,
        sum(
            (levels.level_local - levels.delta_local + levels.delta_revaluation)
            * fx_rates.rate_to_reporting
        ) as arr_before,
        sum(levels.level_local * fx_rates.rate_to_reporting) as arr_after

    from levels
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
        cast(round(arr_before, 6) as {{ money_type() }}) as arr_before,
        cast(round(arr_after, 6) as {{ money_type() }}) as arr_after

    from valued
    where round(arr_before, 6) <> round(arr_after, 6)

)

select * from final
