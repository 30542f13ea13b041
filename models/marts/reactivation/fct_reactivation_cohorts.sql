-- One row per churn month: of the customers who churned that month and their ARR, the
-- cumulative share reactivated within 30, 60, 90, 180, 365 and 730 days. A point that
-- as_of_date has not yet fully observed (the month's last day + d days is after it) is
-- null, not a low number.
{%- set horizons = [30, 60, 90, 180, 365, 730] %}

with

episodes as (

    select * from {{ ref('fct_churn_episodes') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

cohorts as (

    select
        cast({{ dbt.date_trunc('month', 'churn_date') }} as date) as churn_month,
        count(*) as churned_customers,
        sum(final_arr) as churned_arr,
        {% for d in horizons %}
            sum(case when days_to_reactivation <= {{ d }} then 1 else 0 end)
                as reactivated_customers_{{ d }}d,
            sum(case when days_to_reactivation <= {{ d }} then reactivation_arr else 0 end)
                as reactivated_arr_{{ d }}d{% if not loop.last %},{% endif %}
        {% endfor %}

    from episodes
    group by 1

),

final as (

    select
        cohorts.churn_month,
        cast(cohorts.churned_customers as {{ dbt.type_bigint() }}) as churned_customers,
        cast(cohorts.churned_arr as {{ money_type() }}) as churned_arr,
        {% for d in horizons %}
            {#- The month's last day + d days is on or before as_of_date: d - 1 days from
                the first of the next month (one date addition, not three nested, which
                engines whose date macros repeat their argument would multiply). #}
            {%- set observed -%}
                {{ d - 1 }} <= {{ date_diff_days(
                    dbt.dateadd('month', 1, 'cohorts.churn_month'),
                    'reporting_dates.as_of_date'
                ) }}
            {%- endset %}
            cast(
                case when {{ observed }} then cohorts.reactivated_customers_{{ d }}d end
                as {{ dbt.type_bigint() }}
            ) as reactivated_customers_{{ d }}d,
            cast(
                case when {{ observed }} then cohorts.reactivated_arr_{{ d }}d end
                as {{ money_type() }}
            ) as reactivated_arr_{{ d }}d,
            case
                when {{ observed }}
                    then {{ safe_ratio(
                        'cohorts.reactivated_customers_' ~ d ~ 'd', 'cohorts.churned_customers'
                    ) }}
            end as reactivation_rate_{{ d }}d,
            case
                when {{ observed }}
                    then {{ safe_ratio(
                        'cohorts.reactivated_arr_' ~ d ~ 'd', 'cohorts.churned_arr'
                    ) }}
            end as arr_win_back_rate_{{ d }}d{% if not loop.last %},{% endif %}
        {% endfor %}

    from cohorts
    cross join reporting_dates

)

select * from final
