{#- Article 2's account-value bands of an ARR amount. -#}
{% macro arr_band(arr) -%}
    case
        when {{ arr }} >= 50000 then '50k_plus'
        when {{ arr }} >= 10000 then '10k_to_50k'
        when {{ arr }} >= 2000 then '2k_to_10k'
        else 'under_2k'
    end
{%- endmacro %}
