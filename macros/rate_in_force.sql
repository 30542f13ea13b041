{#- Join condition: the row of `intervals` (int_fx_rate_intervals) whose rate is in
    force on `on_date`, i.e. the latest rate_date on or before it; for `currency`
    when given, else for every currency. -#}
{% macro rate_in_force(intervals, currency, on_date) -%}
    {%- if currency %}{{ currency }} = {{ intervals }}.currency
    and {% endif -%}
    ({{ on_date }} >= {{ intervals }}.valid_from or {{ intervals }}.valid_from is null)
    and ({{ on_date }} < {{ intervals }}.valid_until or {{ intervals }}.valid_until is null)
{%- endmacro %}
