{#- The order of one subscription's events, written once: by effective_at; between
    events with the same effective_at, the later occurred_at, then the later
    ingested_at, then the greater event_id wins (a missing value loses).
    direction 'desc' puts the winning (latest) event first; 'asc' lists them in the
    order they apply. `prefix` qualifies the columns (e.g. 'events.'). -#}
{% macro event_order(direction='desc', prefix='') -%}
    {%- if direction == 'desc' -%}
        {{ prefix }}effective_at desc,
        {{ prefix }}occurred_at desc nulls last,
        {{ prefix }}ingested_at desc nulls last,
        {{ prefix }}event_id desc
    {%- else -%}
        {{ prefix }}effective_at,
        {{ prefix }}occurred_at nulls first,
        {{ prefix }}ingested_at nulls first,
        {{ prefix }}event_id
    {%- endif -%}
{%- endmacro %}
