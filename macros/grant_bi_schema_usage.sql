{#- The BI role (env var WINBACK_BI_ROLE) may look up the marts' schema; the marts'
    own `grants` config lets it read them, and nothing else is granted. Postgres only;
    nothing to do when the variable is unset. -#}
{% macro grant_bi_schema_usage() %}
    {%- set role = env_var('WINBACK_BI_ROLE', '') -%}
    {%- if execute and role and target.type == 'postgres' -%}
        grant usage on schema {{ adapter.quote(target.schema) }} to {{ adapter.quote(role) }}
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
