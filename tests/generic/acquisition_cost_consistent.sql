{#- Fails for every period whose CACs are not spend / customers (null when there are no
    customers) and for every quarter that is not the sum of its months. -#}
{% test acquisition_cost_consistent(model) %}

with

months as (

    select * from {{ model }}
    where period_grain = 'month'

),

quarters_from_months as (

    select
        cast({{ dbt.date_trunc('quarter', 'period_start') }} as date) as quarter_start,
        sum(new_customers) as new_customers,
        sum(acquisition_spend) as acquisition_spend,
        sum(attributed_reactivations) as attributed_reactivations,
        sum(winback_campaign_cost) as winback_campaign_cost
    from months
    group by 1

),

bad_ratios as (

    select
        period_grain,
        period_start
    from {{ model }}
    where
        (new_customers = 0 and new_customer_cac is not null)
        or (new_customers > 0 and abs(
            new_customer_cac - acquisition_spend / new_customers
        ) > 0.01)
        or (attributed_reactivations = 0 and reactivation_cac is not null)
        or (attributed_reactivations > 0 and abs(
            reactivation_cac - winback_campaign_cost / attributed_reactivations
        ) > 0.01)
        or ((new_customer_cac is null or reactivation_cac is null) and cac_ratio is not null)
        or (new_customer_cac > 0 and reactivation_cac is not null and cac_ratio is null)

),

bad_quarters as (

    select
        quarters.period_grain,
        quarters.period_start
    from {{ model }} as quarters
    left join quarters_from_months
        on quarters.period_start = quarters_from_months.quarter_start
    where
        quarters.period_grain = 'quarter'
        and (
            quarters_from_months.quarter_start is null
            or quarters.new_customers <> quarters_from_months.new_customers
            or quarters.attributed_reactivations <> quarters_from_months.attributed_reactivations
            or abs(quarters.acquisition_spend - quarters_from_months.acquisition_spend) > 0.01
            or abs(quarters.winback_campaign_cost - quarters_from_months.winback_campaign_cost)
            > 0.01
        )

)

select * from bad_ratios
union all
select * from bad_quarters

{% endtest %}
