{#- The last post-hook of int_usage_inactivity_episodes: the run's working table of days
    to rebuild is dropped (DuckDB). -#}
{% macro drop_usage_spells_rebuild() %}
    {%- if target.type != 'duckdb' -%}
        {{ return('select 1') }}
    {%- endif -%}
    drop table if exists {{ usage_spells_working_table('rebuild') }}
{% endmacro %}
