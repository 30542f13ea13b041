-- One row per segment × currency × valuation point (every day, or every month end
-- and as_of_date): the ARR held in that currency, in its own units and valued at that
-- day's rate, and the revaluation since the previous point (fx_impact). Built from
-- cumulative changes, so its size grows with days × currencies, not with customers.
-- Under fx_valuation `service_start` the ARR is held in the reporting currency and
-- fx_impact is the revaluation made at events (int_customer_currency_deltas).

with

deltas as (

    select * from {{ ref('int_customer_currency_deltas') }}

),

customers as (

    select * from {{ ref('int_customers_segmented') }}

),

calendar as (

    select * from {{ ref('int_calendar_days') }}
    where is_valuation_point

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

deltas_by_point as (

    select
        coalesce(customers.segment, 'unknown') as segment,
        deltas.currency,
        {{ period_valuation_date('deltas.period_date', 'reporting_dates.as_of_date') }}
            as valuation_date,
        sum(deltas.delta_local) as delta_local,
        sum(deltas.delta_revaluation) as delta_revaluation

    from deltas
    cross join reporting_dates
    left join customers
        on deltas.customer_id = customers.customer_id
    group by 1, 2, 3

),

series as (

    select distinct
        segment,
        currency

    from deltas_by_point

),

levels as (

    select
        series.segment,
        series.currency,
        calendar.date_day as valuation_date,
        sum(coalesce(deltas_by_point.delta_local, 0)) over (
            partition by series.segment, series.currency
            order by calendar.date_day
            rows between unbounded preceding and current row
        ) as level_local,
        coalesce(deltas_by_point.delta_revaluation, 0) as delta_revaluation

    from series
    cross join calendar
    left join deltas_by_point
        on
            series.segment = deltas_by_point.segment
            and series.currency = deltas_by_point.currency
            and calendar.date_day = deltas_by_point.valuation_date

),

with_rates as (

    select
        levels.*,
        fx_rates.rate_to_reporting,
        lag(levels.level_local) over (
            partition by levels.segment, levels.currency order by levels.valuation_date
        ) as previous_level_local,
        lag(fx_rates.rate_to_reporting) over (
            partition by levels.segment, levels.currency order by levels.valuation_date
        ) as previous_rate_to_reporting

    from levels
    left join fx_rates
        on
            levels.currency = fx_rates.currency
            and levels.valuation_date = fx_rates.rate_date

),

final as (

    select
        segment,
        currency,
        valuation_date,
        cast(level_local as {{ money_type() }}) as level_local,
        cast(
            case when level_local = 0 then 0 else round(level_local * rate_to_reporting, 6) end
            as {{ money_type() }}
        ) as arr,
        -- ARR held since the previous point, revalued from its rate to today's.
        cast(
            case
                when coalesce(previous_level_local, 0) = 0 then 0
                else round(
                        previous_level_local * (rate_to_reporting - previous_rate_to_reporting), 6
                    )
            end
            + round(delta_revaluation, 6) as {{ money_type() }}
        ) as fx_impact

    from with_rates

)

select * from final
