{#- Post-hook of int_usage_inactivity_episodes on DuckDB: the as_of_date and settings
    digest this run built the spells with, for the next run's plan (macro
    usage_spells_plan), and the working table of the customers recomputed dropped. -#}
{% macro usage_spells_save_state() %}
    {% if not execute or target.type != 'duckdb' %}
        {{ return('select 1') }}
    {% endif %}
    {% set sql %}
        create or replace table {{ usage_spells_state_relation() }} as
        select
            as_of_date,
            '{{ usage_spells_settings_digest() }}' as settings_digest
        from {{ ref('int_reporting_dates') }};
        drop table if exists {{ usage_spells_changes_relation() }}
    {% endset %}
    {{ return(sql) }}
{% endmacro %}
