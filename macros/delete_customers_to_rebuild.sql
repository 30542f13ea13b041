{#- The pre-hook of an incremental-by-customer model: the rows of the customers to
    rebuild (int_customers_to_rebuild, or the query `customers` gives) leave the table
    before their new rows are inserted (a customer whose rows are all gone now, for
    example one whose only event became a conflicting copy, keeps none). -#}
{% macro delete_customers_to_rebuild(customers=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where customer_id in (
            {{ customers if customers is not none
               else 'select customer_id from ' ~ ref('int_customers_to_rebuild') }}
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
