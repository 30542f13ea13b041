{#- Fails for every campaign (or campaign group) whose funnel does not narrow:
    attributed reactivations <= touched <= treatment members, responded <= touched,
    no negative count, and the response and reactivation rates equal to their counts'
    quotients within [0, 1], null when nobody was touched. -#}
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
    or (touched_members > 0 and (
        abs(response_rate - cast(responded_members as {{ ratio_type() }}) / touched_members) > 1e-9
        or abs(
            reactivation_rate - cast(attributed_reactivations as {{ ratio_type() }}) / touched_members
        ) > 1e-9
    ))
    or (attributed_reactivations = 0 and (reactivation_arr <> 0 or cac is not null))
    or (attributed_reactivations > 0 and reactivation_arr <= 0)

{% endtest %}
