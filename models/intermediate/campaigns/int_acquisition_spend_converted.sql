-- One row per accepted month × channel of new-customer acquisition spend, in the
-- reporting currency at the rate in force on the first day of the month (the latest
-- rate_date on or before it). A spend in a currency with no rate in force never gets
-- here: the post-hook on stg_raw__acquisition_spend stops the build.

with

spend as (

    select * from {{ ref('stg_raw__acquisition_spend') }}

),

rate_intervals as (

    select * from {{ ref('int_fx_rate_intervals') }}

),

final as (

    select
        spend.spend_month,
        spend.channel,
        spend.currency,
        spend.spend as spend_local,
        rate_intervals.rate_to_reporting,
        cast(spend.spend * rate_intervals.rate_to_reporting as {{ money_type() }}) as spend

    from spend
    left join rate_intervals
        on {{ rate_in_force('rate_intervals', 'spend.currency', 'spend.spend_month') }}

)

select * from final
