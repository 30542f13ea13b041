{#- Fails for every combination of `columns` that appears more than once (macro
    key_copies). -#}
{% test unique_combination(model, columns) %}

{{ key_copies(model, columns) }}

{% endtest %}
