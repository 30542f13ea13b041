-- One row per day from the day before the first month with an ARR change through
-- as_of_date: the dates at which ARR is valued. `is_valuation_point` marks the ends of
-- movement periods (every day, or every month end and as_of_date).
-- The spine's bounds come from the data, so early customers are never cut off.

with

deltas as (

    select * from {{ ref('int_customer_currency_deltas') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

bounds as (

    select
        cast(
            {{ dbt.dateadd('day', -1, dbt.date_trunc('month', 'min(deltas.period_date)')) }}
            as date
        ) as first_date,
        max(reporting_dates.as_of_date) as last_date

    from deltas
    cross join reporting_dates

),

spine as (

    {{ days_between('bounds', 'first_date', 'last_date') }}

),

final as (

    select
        cast(spine.date_day as date) as date_day,
        {% if var('movement_grain') == 'month' -%}
            (
                cast(spine.date_day as date) = reporting_dates.as_of_date
                or cast({{ dbt.dateadd('day', 1, 'spine.date_day') }} as date)
                = cast({{ dbt.date_trunc('month', dbt.dateadd('day', 1, 'spine.date_day')) }} as date)
            )
        {%- else -%}
            true
        {%- endif %} as is_valuation_point

    from spine
    cross join reporting_dates

)

select * from final
