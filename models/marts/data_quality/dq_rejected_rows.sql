-- One row per raw row that cannot be used, with the reason and the raw values.
{%- set tables = {
    'subscription_events': 'event_id',
    'customers': 'customer_id',
    'product_usage': 'source_key',
    'campaigns': 'campaign_id',
    'campaign_members': 'source_key',
    'fx_rates': 'source_key',
    'acquisition_spend': 'source_key',
} %}

with

{% for table_name, key_column in tables.items() %}
    {{ table_name }} as (

        select
            '{{ table_name }}' as source_table,
            coalesce({{ key_column }}, '(no key)') as source_key,
            rejection_reason as reason,
            raw_values

        from {{ ref('base_raw__' ~ table_name) }}
        where rejection_reason is not null

    ),

{% endfor %}
malformed_lines as (

    select
        source_table,
        source_key,
        rejection_reason as reason,
        raw_values

    from {{ ref('base_raw__malformed_lines') }}

),

final as (

    {% for part in tables.keys() | list + ['malformed_lines'] %}
        select
            cast(source_table as {{ dbt.type_string() }}) as source_table,
            cast(source_key as {{ dbt.type_string() }}) as source_key,
            cast(reason as {{ dbt.type_string() }}) as reason,
            cast(raw_values as {{ dbt.type_string() }}) as raw_values
        from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
