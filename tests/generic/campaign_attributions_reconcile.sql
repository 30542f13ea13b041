{#- Fails for every campaign whose attributed reactivations and reactivation ARR differ
    from the churn episodes attributed to it in `episodes` (fct_churn_episodes), and for
    every campaign id attributed there that the campaign model does not hold. With each
    episode one reactivation, this also checks that no reactivation counts twice. -#}
{% test campaign_attributions_reconcile(model, episodes) %}

with

from_episodes as (

    select
        attributed_campaign_id as campaign_id,
        count(*) as attributed_reactivations,
        sum(reactivation_arr) as reactivation_arr
    from {{ episodes }}
    where attributed_campaign_id is not null
    group by attributed_campaign_id

),

from_campaigns as (

    select
        campaign_id,
        attributed_reactivations,
        reactivation_arr
    from {{ model }}

)

select
    coalesce(from_campaigns.campaign_id, from_episodes.campaign_id) as campaign_id,
    from_campaigns.attributed_reactivations as campaign_reactivations,
    from_episodes.attributed_reactivations as episode_reactivations,
    from_campaigns.reactivation_arr as campaign_arr,
    from_episodes.reactivation_arr as episode_arr
from from_campaigns
full outer join from_episodes
    on from_campaigns.campaign_id = from_episodes.campaign_id
where
    from_campaigns.campaign_id is null
    or coalesce(from_episodes.attributed_reactivations, 0)
    <> from_campaigns.attributed_reactivations
    or abs(coalesce(from_episodes.reactivation_arr, 0) - from_campaigns.reactivation_arr) > 0.01

{% endtest %}
