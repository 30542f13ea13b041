-- One row: the as_of_date that history runs up to. The var wins; otherwise the latest
-- recorded instant (occurred_at, or effective_at where empty) among accepted events.
-- Always exactly one row: both forms aggregate over the events.
{%- if var('as_of_date') is not none %}
    {%- set as_of_expression = "max(cast('" ~ var('as_of_date') ~ "' as date))" %}
{%- else %}
    {%- set as_of_expression = "cast(max(coalesce(occurred_at, effective_at)) as date)" %}
{%- endif %}

with

events as (

    select * from {{ ref('stg_raw__subscription_events') }}

),

final as (

    select {{ as_of_expression }} as as_of_date
    from events

)

select * from final
