{#- The campaign rules written once, for one campaign or for a pooled group of them:
    response rate = responded / touched; reactivation rate = attributed reactivations /
    touched; ROI = (reactivation ARR - cost) / cost; CAC = cost / attributed
    reactivations; payback months = CAC / (reactivation ARR per reactivation / 12),
    which is 12 x cost / reactivation ARR; realised ROI = (realised revenue - cost) /
    cost. Each is null when its denominator is 0. Reads the columns cost,
    touched_members, responded_members, attributed_reactivations, reactivation_arr and
    realised_revenue; emits six select-list items. -#}
{% macro campaign_measures() -%}
    {{ safe_ratio('responded_members', 'touched_members') }} as response_rate,
    {{ safe_ratio('attributed_reactivations', 'touched_members') }} as reactivation_rate,
    {{ safe_ratio('reactivation_arr - cost', 'cost') }} as roi,
    cast({{ safe_ratio('cost', 'attributed_reactivations') }} as {{ money_type() }}) as cac,
    {{ safe_ratio('12 * cost', 'reactivation_arr') }} as payback_months,
    {{ safe_ratio('realised_revenue - cost', 'cost') }} as realised_roi
{%- endmacro %}
