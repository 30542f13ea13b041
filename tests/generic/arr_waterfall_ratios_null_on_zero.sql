{#- Fails for every row where a ratio is set although its denominator is 0, or is
    missing although its denominator is not. -#}
{% test arr_waterfall_ratios_null_on_zero(model) %}

select *
from {{ model }}
where
    (starting_arr = 0 and (nrr is not null or grr is not null))
    or (starting_arr <> 0 and (nrr is null or grr is null))
    or (contraction_arr + churned_arr = 0 and quick_ratio is not null)
    or (contraction_arr + churned_arr <> 0 and quick_ratio is null)

{% endtest %}
