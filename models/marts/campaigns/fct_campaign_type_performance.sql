-- One row per campaign type × target segment × channel: article 2's reactivation
-- campaign performance dashboard for BI. Counts and money are summed over the
-- campaigns and the rates recomputed from the sums (pooled, not averages of rates), so
-- a large campaign weighs more than a small one. The incremental figures pool only the
-- campaigns whose incremental ROI is defined (an eligible control group and at least
-- one attributed reactivation); null when there are none.

with

campaigns as (

    select * from {{ ref('fct_campaign_performance') }}

),

summed as (

    select
        campaign_type,
        target_segment,
        channel,
        count(*) as campaigns,
        sum(cost) as cost,
        sum(treatment_members) as treatment_members,
        sum(touched_members) as touched_members,
        sum(responded_members) as responded_members,
        sum(attributed_reactivations) as attributed_reactivations,
        sum(reactivation_arr) as reactivation_arr,
        sum(realised_revenue) as realised_revenue,
        sum(
            case when incremental_arr is not null then incremental_reactivations end
        ) as incremental_reactivations,
        sum(incremental_arr) as incremental_arr,
        sum(case when incremental_arr is not null then cost end) as incremental_cost

    from campaigns
    group by campaign_type, target_segment, channel

),

final as (

    select
        cast(campaign_type as {{ dbt.type_string() }}) as campaign_type,
        cast(target_segment as {{ dbt.type_string() }}) as target_segment,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(campaigns as {{ dbt.type_bigint() }}) as campaigns,
        cast(cost as {{ money_type() }}) as cost,
        cast(treatment_members as {{ dbt.type_bigint() }}) as treatment_members,
        cast(touched_members as {{ dbt.type_bigint() }}) as touched_members,
        cast(responded_members as {{ dbt.type_bigint() }}) as responded_members,
        cast(attributed_reactivations as {{ dbt.type_bigint() }}) as attributed_reactivations,
        cast(reactivation_arr as {{ money_type() }}) as reactivation_arr,
        {{ campaign_measures() }},
        cast(incremental_reactivations as {{ ratio_type() }}) as incremental_reactivations,
        {{ safe_ratio('incremental_arr - incremental_cost', 'incremental_cost') }}
            as incremental_roi,
        cast(realised_revenue as {{ money_type() }}) as realised_revenue

    from summed

)

select * from final
