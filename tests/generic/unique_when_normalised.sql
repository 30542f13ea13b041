{#- Fails for every value that, trimmed and lower-cased as raw values are before they
    are matched, stands more than once: a user-added alias that differs only in case
    would otherwise match one raw value twice. -#}
{% test unique_when_normalised(model, column_name) %}

select
    {{ normalise_key(column_name) }} as normalised_value,
    count(*) as copies
from {{ model }}
group by {{ normalise_key(column_name) }}
having count(*) > 1

{% endtest %}
