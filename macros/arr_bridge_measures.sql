{#- The measures derived from an ARR bridge's columns (starting_arr, new_arr,
    expansion_arr, reactivation_arr, contraction_arr, churned_arr), written once for
    every waterfall: net new ARR and the NRR, GRR and quick ratio, each null when its
    denominator is 0. Emits four select-list items. -#}
{% macro arr_bridge_measures() -%}
    cast(
        new_arr + expansion_arr + reactivation_arr - contraction_arr - churned_arr
        as {{ money_type() }}
    ) as net_new_arr,
    {{ safe_ratio(
        'starting_arr + expansion_arr + reactivation_arr - contraction_arr - churned_arr',
        'starting_arr'
    ) }} as nrr,
    {{ safe_ratio('starting_arr - contraction_arr - churned_arr', 'starting_arr') }} as grr,
    {{ safe_ratio(
        'new_arr + expansion_arr + reactivation_arr', 'contraction_arr + churned_arr'
    ) }} as quick_ratio
{%- endmacro %}
