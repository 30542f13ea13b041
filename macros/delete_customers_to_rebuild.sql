{#- The pre-hook of an incremental-by-customer model: the rows of the customers to
    rebuild leave the table before their new rows are inserted (a customer whose rows
    are all gone now, for example one whose only event became a conflicting copy, keeps
    none). -#}
{% macro delete_customers_to_rebuild() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where customer_id in (
            select customer_id from {{ ref('int_customers_to_rebuild') }}
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
