{#- Fails for every campaign (or campaign group) whose funnel does not narrow:
    attributed reactivations <= touched <= treatment members, responded <= touched,
    no negative count, and the response and reactivation rates within [0, 1], giving
    back their counts when multiplied by the touched members, null when nobody was
    touched. -#}
{% test campaign_funnel_consistent(model) %}

select *
from {{ model }}
where
    attributed_reactivations < 0
    or attributed_reactivations > touched_members
    or touched_members > treatment_members
    or responded_members < 0
    or responded_members > touched_members
    or (touched_members = 0 and (response_rate is not null or reactivation_rate is not null))
    -- each rate times the members it is a rate of gives back a whole count
    or (touched_members > 0 and (
        response_rate < 0 or response_rate > 1
        or reactivation_rate < 0 or reactivation_rate > 1
        or abs(response_rate * touched_members - responded_members) > 1e-6
        or abs(reactivation_rate * touched_members - attributed_reactivations) > 1e-6
    ))
    or (attributed_reactivations = 0 and (reactivation_arr <> 0 or cac is not null))
    or (attributed_reactivations > 0 and reactivation_arr <= 0)

{% endtest %}
