-- One row per day from the day before the first month with an ARR change through
-- as_of_date: the dates at which ARR is valued. `is_valuation_point` marks the ends of
-- movement periods (every day, or every month end and as_of_date).
-- The spine's bounds come from the data, so early customers are never cut off.
-- depends_on: {{ ref('int_customer_currency_deltas') }}

{%- set bounds = none %}
{%- if execute %}
    {%- set bounds_query %}
        select
            cast({{ dbt.dateadd('day', -1, dbt.date_trunc('month', 'min(deltas.period_date)')) }} as date),
            cast({{ dbt.dateadd('day', 1, 'max(reporting_dates.as_of_date)') }} as date)
        from {{ ref('int_customer_currency_deltas') }} as deltas
        cross join {{ ref('int_reporting_dates') }} as reporting_dates
    {%- endset %}
    {%- set bounds = run_query(bounds_query).rows[0] %}
{%- endif %}
{%- set start_date = bounds[0] if bounds and bounds[0] is not none else '2000-01-01' %}
{%- set end_date = bounds[1] if bounds and bounds[1] is not none else '2000-01-02' %}

with

spine as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ start_date ~ "' as date)",
        "cast('" ~ end_date ~ "' as date)",
    ) }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

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
