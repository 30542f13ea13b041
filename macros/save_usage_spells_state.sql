{#- The post-hook of int_usage_inactivity_episodes (DuckDB): what the spells were just
    computed from (each file and version of the usage model, the as_of_date and the
    settings) becomes the state the next run compares with. It runs in the model's
    transaction, so a run that stops before the spells are written leaves the old
    state. -#}
{% macro save_usage_spells_state() %}
    {%- if target.type != 'duckdb' -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set usage_rows = ref('base_raw__product_usage') -%}
    {%- set reporting_dates = ref('int_reporting_dates') -%}
    create or replace table {{ usage_spells_working_table('state') }} as
    select
        'file' as state_kind,
        raw_file,
        raw_file_version,
        cast(null as date) as state_date
    from {{ usage_rows }}
    group by raw_file, raw_file_version
    union all
    select
        'as_of_date' as state_kind,
        null as raw_file,
        null as raw_file_version,
        as_of_date as state_date
    from {{ reporting_dates }}
    union all
    select
        'settings' as state_kind,
        '{{ usage_spells_settings() }}' as raw_file,
        null as raw_file_version,
        null as state_date
{% endmacro %}
