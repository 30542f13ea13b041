-- What the incremental ARR chain is computed from, one row per thing that can change:
-- - customer_events: a customer's accepted events (each one's event_id, raw file and
--   file version; where the raw tables are not files, every column staging gives),
--   with the day of the last of them (last_effective_date), so that
--   int_customers_to_rebuild finds the customers with an event from a given period on
--   without reading the events again;
-- - customer_row: what int_customers_segmented reads of a customer beside the events
--   (the accepted customers row's segment, country and creation time, and which
--   columns the copies of a conflicting one disagree on); a customer with neither has
--   no such fingerprint;
-- - fx_rate: an accepted rate (it moves the valuations from its rate_date on);
-- - as_of_date: the date history runs up to (valuations and dated events move with it);
-- - settings: the vars and policy rules the chain reads, the chain's own code, and the
--   code and seed with which staging derives the events' values (a model's code with
--   the code of every macro of this project it calls: macro code_digest).
-- int_customers_to_rebuild compares it with the state saved by the last run that built
-- the whole chain (macro save_incremental_state).

{%- set settings = {
    'reporting_currency': var('reporting_currency'),
    'movement_grain': var('movement_grain'),
    'reactivation_window_months': var('reactivation_window_months'),
    'reactivation_window_days': var('reactivation_window_days'),
} %}
{%- for rule in ['cancellation_recognition', 'pause_treatment', 'reactivation_rule',
                 'short_lived_customers', 'fx_valuation'] %}
    {%- do settings.update({rule: policy(rule)}) %}
{%- endfor %}
{#- Besides the chain, the code of the staging models that take its events and usage
    days from the base rows, and the seed it maps churn reasons with. #}
{%- if execute %}
    {%- for node in graph.nodes.values()
        if (node.resource_type == 'model'
            and node.name in incremental_chain_models()
                + ['stg_raw__subscription_events', 'stg_raw__product_usage'])
        or (node.resource_type == 'seed' and node.name == 'churn_reason_categories') %}
        {%- do settings.update({
            node.name: code_digest(node) if node.resource_type == 'model'
            else node.checksum.checksum,
        }) %}
    {%- endfor %}
{%- endif %}
{#- Where every base row keeps its raw file and that file's version (DuckDB), an event
    is told by its event_id, file and version: the version changes with the file's
    bytes and with the base model's code and seeds, and the rest with the settings, so
    the other columns need not be read. Elsewhere, by every column staging gives. #}
{%- set event_columns = [
    'event_id', 'customer_id', 'subscription_id', 'event_type', 'effective_at',
    'effective_date', 'occurred_at', 'ingested_at', 'plan_id', 'billing_period',
    'periods_per_year', 'amount', 'currency', 'arr_local', 'discount_pct', 'churn_reason',
    'churn_reason_secondary', 'churn_reason_category',
] if raw_file_list('subscription_events') is none
    else ['event_id', 'raw_file', 'raw_file_version'] %}

with

events as (

    select * from {{ ref('stg_raw__subscription_events') }}

),

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

conflicts as (

    select * from {{ ref('stg_raw__customer_conflicts') }}

),

customer_rows as (

    select
        customer_id,
        segment,
        country,
        created_at,
        cast(null as {{ dbt.type_string() }}) as differing_columns

    from customers

    union all

    select
        customer_id,
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        differing_columns

    from conflicts

),

fx_rates as (

    select * from {{ ref('stg_raw__fx_rates') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

fingerprints as (

    select
        'customer_events' as fingerprint_kind,
        customer_id as fingerprint_key,
        cast(null as date) as affects_from_date,
        max(effective_date) as last_effective_date,
        count(*) as row_count,
        {{ row_fingerprint(event_columns) }} as fingerprint

    from events
    group by customer_id

    union all

    select
        'customer_row' as fingerprint_kind,
        customer_id as fingerprint_key,
        cast(null as date) as affects_from_date,
        cast(null as date) as last_effective_date,
        count(*) as row_count,
        {{ row_fingerprint(['segment', 'country', 'created_at', 'differing_columns']) }}
            as fingerprint

    from customer_rows
    group by customer_id

    union all

    select
        'fx_rate' as fingerprint_kind,
        {{ dbt.concat(['currency', "'|'", dbt.cast('rate_date', dbt.type_string())]) }}
            as fingerprint_key,
        rate_date as affects_from_date,
        cast(null as date) as last_effective_date,
        count(*) as row_count,
        {{ row_fingerprint(['rate_to_reporting']) }} as fingerprint

    from fx_rates
    group by currency, rate_date

    union all

    select
        'as_of_date' as fingerprint_kind,
        {{ dbt.cast('as_of_date', dbt.type_string()) }} as fingerprint_key,
        as_of_date as affects_from_date,
        cast(null as date) as last_effective_date,
        1 as row_count,
        cast(0 as decimal(38, 0)) as fingerprint

    from reporting_dates

    union all

    select
        'settings' as fingerprint_kind,
        '{{ local_md5(tojson(settings, sort_keys=true)) }}' as fingerprint_key,
        cast(null as date) as affects_from_date,
        cast(null as date) as last_effective_date,
        1 as row_count,
        cast(0 as decimal(38, 0)) as fingerprint

),

final as (

    select
        cast(fingerprint_kind as {{ dbt.type_string() }}) as fingerprint_kind,
        cast(fingerprint_key as {{ dbt.type_string() }}) as fingerprint_key,
        cast(affects_from_date as date) as affects_from_date,
        cast(last_effective_date as date) as last_effective_date,
        cast(row_count as {{ dbt.type_bigint() }}) as row_count,
        cast(fingerprint as decimal(38, 0)) as fingerprint

    from fingerprints

)

select * from final
