{#- The pre-hooks of int_usage_inactivity_episodes after the first (an incremental run
    on DuckDB): the spells the run recomputes leave the table. Step `everyone`: all of
    them when is_everyone; `from_date`: every spell still open or ending on or after
    the row without a customer's rebuild_from_date (the as_of_date moved); `customers`:
    each listed customer's spells still open or ending on or after their day. -#}
{% macro delete_usage_spells_to_rebuild(step) %}
    {%- if not is_incremental() -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set rebuild = usage_spells_working_table('rebuild') -%}
    {%- if step == 'everyone' -%}
        delete from {{ this }}
        where (select bool_or(is_everyone) from {{ rebuild }} where customer_id is null)
    {%- elif step == 'from_date' -%}
        delete from {{ this }}
        where
            return_date is null
            and (select max(rebuild_from_date) from {{ rebuild }} where customer_id is null)
            is not null
            or return_date
            >= (select max(rebuild_from_date) from {{ rebuild }} where customer_id is null)
    {%- else -%}
        delete from {{ this }} as spells
        using {{ rebuild }} as rebuild
        where
            spells.customer_id = rebuild.customer_id
            and (spells.return_date is null or spells.return_date >= rebuild.rebuild_from_date)
    {%- endif -%}
{% endmacro %}
