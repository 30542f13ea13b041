{#- A where clause keeping the rows of the customers to rebuild (int_customers_to_rebuild,
    or the query `customers` gives) in an incremental run; nothing in a full build. -#}
{% macro only_customers_to_rebuild(customer_id_column, customers=none) -%}
    {%- if is_incremental() %}
    where {{ customer_id_column }} in (
        {%- if customers is not none %}
        {{ customers }}
        {%- else %}
        select customers_to_rebuild.customer_id
        from {{ ref('int_customers_to_rebuild') }} as customers_to_rebuild
        {%- endif %}
    )
    {%- endif -%}
{%- endmacro %}
