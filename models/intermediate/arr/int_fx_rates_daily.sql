-- One row per currency × calendar day: the rate in force that day (the latest
-- rate_date on or before it). The reporting currency is always 1.

with

rates as (

    select * from {{ ref('stg_raw__fx_rates') }}
    where currency <> upper('{{ var("reporting_currency") }}')

),

calendar as (

    select * from {{ ref('int_calendar_days') }}

),

rate_intervals as (

    select
        currency,
        rate_date as valid_from,
        lead(rate_date) over (partition by currency order by rate_date) as valid_until,
        rate_to_reporting

    from rates

),

foreign_rates as (

    select
        rate_intervals.currency,
        calendar.date_day as rate_date,
        rate_intervals.rate_to_reporting

    from calendar
    inner join rate_intervals
        on
            calendar.date_day >= rate_intervals.valid_from
            and (
                calendar.date_day < rate_intervals.valid_until
                or rate_intervals.valid_until is null
            )

),

reporting_rate as (

    select
        upper('{{ var("reporting_currency") }}') as currency,
        date_day as rate_date,
        cast(1 as {{ rate_type() }}) as rate_to_reporting

    from calendar

),

final as (

    select * from foreign_rates
    union all
    select * from reporting_rate

)

select * from final
