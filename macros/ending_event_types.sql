{#- The event types that end a subscription's recurring charge (its ARR becomes 0) and
    carry no amount, billing period or currency, as a SQL list for `in`. -#}
{% macro ending_event_types() -%}
    ('subscription_canceled', 'subscription_paused')
{%- endmacro %}
