-- One row per day of the reporting calendar: MetricFlow's time spine.

with

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

final as (

    select cast(date_day as date) as date_day

    from calendar_days

)

select * from final
