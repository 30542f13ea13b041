{#- numerator / denominator as a fraction (`ratio_type`), null when the denominator is 0
    or null: the one rule for every ratio and per-unit average in the marts. -#}
{% macro safe_ratio(numerator, denominator) -%}
    cast(
        case
            when {{ denominator }} <> 0
                then cast({{ numerator }} as {{ ratio_type() }}) / cast({{ denominator }} as {{ ratio_type() }})
        end as {{ ratio_type() }}
    )
{%- endmacro %}
