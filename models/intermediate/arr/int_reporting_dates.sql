-- One row: the as_of_date that history runs up to. The var wins; otherwise the latest
-- recorded instant (occurred_at, or effective_at where empty) among accepted events.
-- Always exactly one row: both branches aggregate over the events.

with

events as (

    select * from {{ ref('stg_raw__subscription_events') }}

),

final as (

    select
        {% if var('as_of_date') is not none -%}
            max(cast('{{ var("as_of_date") }}' as date))
        {%- else -%}
            cast(max(coalesce(occurred_at, effective_at)) as date)
        {%- endif %} as as_of_date

    from events

)

select * from final
