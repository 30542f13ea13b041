-- One row per raw table: raw rows = accepted + rejected + merged duplicate rows.
-- Each count comes from a different model, so the identity is a real check.
{%- set tables = [
    'subscription_events', 'customers', 'product_usage', 'campaigns',
    'campaign_members', 'fx_rates', 'acquisition_spend',
] %}

with

malformed_lines as (

    select
        source_table,
        count(*) as malformed_lines

    from {{ ref('base_raw__malformed_lines') }}
    group by source_table

),

rejected as (

    select
        source_table,
        count(*) as rejected_rows,
        sum(
            case when reason = 'conflicting_duplicate_key' then 1 else 0 end
        ) as conflicting_duplicate_rows

    from {{ ref('dq_rejected_rows') }}
    group by source_table

),

{% for table_name in tables %}
    {{ table_name }} as (

        select
            '{{ table_name }}' as source_table,
            -- base_raw__<table> holds every raw row, one for one.
            (select count(*) from {{ ref('base_raw__' ~ table_name) }}) as raw_rows,
            (select count(*) from {{ ref('stg_raw__' ~ table_name) }}) as accepted_rows,
            (
                select count(*) from {{ ref('base_raw__' ~ table_name) }}
                where is_merged_duplicate
            ) as merged_duplicate_rows

    ),

{% endfor %}
counts as (

    {% for table_name in tables %}
        select * from {{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        cast(counts.source_table as {{ dbt.type_string() }}) as source_table,
        -- A malformed CSV line is a raw row that never reached the raw table.
        cast(
            counts.raw_rows + coalesce(malformed_lines.malformed_lines, 0)
            as {{ dbt.type_bigint() }}
        ) as raw_rows,
        cast(counts.accepted_rows as {{ dbt.type_bigint() }}) as accepted_rows,
        cast(coalesce(rejected.rejected_rows, 0) as {{ dbt.type_bigint() }}) as rejected_rows,
        cast(counts.merged_duplicate_rows as {{ dbt.type_bigint() }}) as merged_duplicate_rows,
        -- Of the rejected rows: those whose key has differing copies, none of which is kept.
        cast(
            coalesce(rejected.conflicting_duplicate_rows, 0) as {{ dbt.type_bigint() }}
        ) as conflicting_duplicate_rows

    from counts
    left join rejected
        on counts.source_table = rejected.source_table
    left join malformed_lines
        on counts.source_table = malformed_lines.source_table

)

select * from final
