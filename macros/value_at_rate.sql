{#- An amount in a currency's own units valued in the reporting currency at `rate`,
    rounded to the money type's six decimals. At a rate of exactly 1 (the reporting
    currency) the amount is the value as it is: the product of two decimals and its
    rounding are computed in 128-bit integers, which at millions of rows costs more
    than the rest of the query. -#}
{% macro value_at_rate(amount, rate) -%}
    case
        when {{ rate }} = 1 then cast(({{ amount }}) as {{ money_type() }})
        else cast(round(({{ amount }}) * {{ rate }}, 6) as {{ money_type() }})
    end
{%- endmacro %}
