{#- Join condition: the row of `intervals` (int_fx_rate_intervals) whose rate is in
    force on `on_date`, i.e. the latest rate_date on or before it; for `currency`
    when given, else for every currency. -#}
{% macro rate_in_force(intervals, currency, on_date) -%}
    {%- if currency %}{{ intervals }}.currency = {{ currency }}
    and {% endif -%}
    ({{ intervals }}.valid_from <= {{ on_date }} or {{ intervals }}.valid_from is null)
    and ({{ on_date }} < {{ intervals }}.valid_until or {{ intervals }}.valid_until is null)
{%- endmacro %}
