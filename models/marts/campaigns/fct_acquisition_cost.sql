-- One row per month and quarter: what a new customer costs (acquisition spend / new
-- customers) against what a win-back costs (win-back campaign cost / attributed
-- reactivations), article 2's "reactivation CAC vs. new customer CAC". New customers
-- are first-time payers (new movements of customers who never paid before); campaign
-- cost counts in the month the campaign started, a reactivation in the month it
-- happened. Periods are the waterfall's, from the first month with ARR to as_of_date.

with

periods as (

    select * from {{ ref('int_reporting_periods') }}
    where period_grain in ('month', 'quarter')

),

movements as (

    select * from {{ ref('fct_arr_movements') }}

),

spend as (

    select * from {{ ref('int_acquisition_spend_converted') }}

),

attributed as (

    select * from {{ ref('int_reactivations_attributed') }}

),

campaigns as (

    select * from {{ ref('int_campaigns_converted') }}

),

-- Everything per calendar month, one fact per row.
facts as (

    select
        cast({{ dbt.date_trunc('month', 'movement_date') }} as date) as fact_month,
        1 as new_customers,
        cast(0 as {{ money_type() }}) as acquisition_spend,
        0 as attributed_reactivations,
        cast(0 as {{ money_type() }}) as winback_campaign_cost
    from movements
    where movement_type = 'new' and not is_returning_customer

    union all

    select
        spend_month as fact_month,
        0 as new_customers,
        spend as acquisition_spend,
        0 as attributed_reactivations,
        0 as winback_campaign_cost
    from spend

    union all

    select
        cast({{ dbt.date_trunc('month', 'reactivation_date') }} as date) as fact_month,
        0 as new_customers,
        0 as acquisition_spend,
        1 as attributed_reactivations,
        0 as winback_campaign_cost
    from attributed

    union all

    select
        cast({{ dbt.date_trunc('month', 'started_date') }} as date) as fact_month,
        0 as new_customers,
        0 as acquisition_spend,
        0 as attributed_reactivations,
        cost as winback_campaign_cost
    from campaigns

),

-- The facts added up per month, so that the periods add up a row per month rather than
-- every fact.
monthly_facts as (

    select
        fact_month,
        sum(new_customers) as new_customers,
        sum(acquisition_spend) as acquisition_spend,
        sum(attributed_reactivations) as attributed_reactivations,
        sum(winback_campaign_cost) as winback_campaign_cost

    from facts
    group by fact_month

),

summed as (

    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        coalesce(sum(monthly_facts.new_customers), 0) as new_customers,
        coalesce(sum(monthly_facts.acquisition_spend), 0) as acquisition_spend,
        coalesce(sum(monthly_facts.attributed_reactivations), 0) as attributed_reactivations,
        coalesce(sum(monthly_facts.winback_campaign_cost), 0) as winback_campaign_cost

    from periods
    left join monthly_facts
        on
            periods.period_start <= monthly_facts.fact_month
            and periods.period_end >= monthly_facts.fact_month
    group by periods.period_grain, periods.period_start, periods.period_end

),

averaged as (

    select
        *,
        {{ safe_ratio('acquisition_spend', 'new_customers') }}
            as new_customer_cac,
        {{ safe_ratio('winback_campaign_cost', 'attributed_reactivations') }}
            as reactivation_cac

    from summed

),

final as (

    select
        cast(period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(acquisition_spend as {{ money_type() }}) as acquisition_spend,
        cast(new_customer_cac as {{ money_type() }}) as new_customer_cac,
        cast(attributed_reactivations as {{ dbt.type_bigint() }}) as attributed_reactivations,
        cast(winback_campaign_cost as {{ money_type() }}) as winback_campaign_cost,
        cast(reactivation_cac as {{ money_type() }}) as reactivation_cac,
        {{ safe_ratio('reactivation_cac', 'new_customer_cac') }} as cac_ratio

    from averaged

)

select * from final
