{#- Fails for every combination of `columns` that appears more than once. -#}
{% test unique_combination(model, columns) %}

select
    {% for column in columns -%}
        {{ column }},
    {% endfor -%}
    count(*) as copies
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
