-- Fails for every raw table whose reconciliation does not count the rows of the raw
-- table itself (plus the CSV lines that never became rows), or whose accepted and
-- rejected rows are not the rows of its accepted-rows model and of dq_rejected_rows:
-- each side is counted here from its own relation, not from the flags the
-- reconciliation model reads.
{%- set tables = [
    'subscription_events', 'customers', 'product_usage', 'campaigns',
    'campaign_members', 'fx_rates', 'acquisition_spend',
] %}

with

reconciliation as (

    select * from {{ ref('dq_reconciliation') }}

),

malformed as (

    select * from {{ ref('base_raw__malformed_lines') }}

),

rejected as (

    select * from {{ ref('dq_rejected_rows') }}

),

counted as (
    {%- for table_name in tables %}

        select
            '{{ table_name }}' as source_table,
            (select count(*) from {{ source('raw', table_name) }})
            + (
                select count(*) from malformed
                where malformed.source_table = '{{ table_name }}'
            ) as raw_rows,
            (select count(*) from {{ ref('stg_raw__' ~ table_name) }}) as accepted_rows,
            (
                select count(*) from rejected
                where rejected.source_table = '{{ table_name }}'
            ) as rejected_rows
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

)

select
    counted.source_table,
    counted.raw_rows,
    reconciliation.raw_rows as reconciled_raw_rows

from counted
left join reconciliation
    on counted.source_table = reconciliation.source_table
where
    reconciliation.source_table is null
    or counted.raw_rows <> reconciliation.raw_rows
    or counted.accepted_rows <> reconciliation.accepted_rows
    or counted.rejected_rows <> reconciliation.rejected_rows
