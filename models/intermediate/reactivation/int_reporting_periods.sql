-- One row per month, quarter and year reported on: from the first month with an ARR
-- movement through the period holding as_of_date, which ends at as_of_date. The
-- periods of the waterfall and of every rate.

with

calendar as (

    select * from {{ ref('int_calendar_days') }}

),

movements as (

    select * from {{ ref('int_arr_movements_classified') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

first_month as (

    select cast({{ dbt.date_trunc('month', 'min(movement_date)') }} as date) as month_start
    from movements

),

months as (

    select distinct cast({{ dbt.date_trunc('month', 'calendar.date_day') }} as date) as month_start

    from calendar
    inner join first_month
        on calendar.date_day >= first_month.month_start

),

periods as (

    {%- for grain, length_months in [('month', 1), ('quarter', 3), ('year', 12)] %}
        select distinct
            '{{ grain }}' as period_grain,
            cast({{ dbt.date_trunc(grain, 'month_start') }} as date) as period_start,
            {{ length_months }} as length_months
        from months
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        periods.period_grain,
        periods.period_start,
        least(
            cast(
                {{ dbt.dateadd(
                    'day', -1, dbt.dateadd('month', 'periods.length_months', 'periods.period_start')
                ) }} as date
            ),
            reporting_dates.as_of_date
        ) as period_end

    from periods
    cross join reporting_dates

)

select * from final
