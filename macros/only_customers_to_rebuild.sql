{#- A where clause keeping the rows of the customers to rebuild in an incremental
    run; nothing in a full build. -#}
{% macro only_customers_to_rebuild(customer_id_column) -%}
    {%- if is_incremental() %}
    where {{ customer_id_column }} in (
        select customers_to_rebuild.customer_id
        from {{ ref('int_customers_to_rebuild') }} as customers_to_rebuild
    )
    {%- endif -%}
{%- endmacro %}
