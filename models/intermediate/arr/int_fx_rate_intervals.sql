-- One row per currency × rate: the interval in which the rate is in force, from its
-- rate_date up to (not including) the next rate_date of the currency; valid_until is
-- null for the latest. The reporting currency is one row worth 1 with no bounds. Used
-- to build the daily rates of the ARR models (int_fx_rates_daily) and to value campaign
-- costs and acquisition spend on any date; join with the macro `rate_in_force`.

with

fx_rates as (

    select * from {{ ref('stg_raw__fx_rates') }}
    -- The reporting currency is always worth 1; rows for it are ignored.
    where currency <> upper('{{ var("reporting_currency") }}')

),

foreign_intervals as (

    select
        currency,
        rate_date as valid_from,
        lead(rate_date) over (partition by currency order by rate_date) as valid_until,
        rate_to_reporting

    from fx_rates

),

reporting_interval as (

    select
        upper('{{ var("reporting_currency") }}') as currency,
        cast(null as date) as valid_from,
        cast(null as date) as valid_until,
        cast(1 as {{ rate_type() }}) as rate_to_reporting

),

final as (

    select * from foreign_intervals
    union all
    select * from reporting_interval

)

select * from final
