{#- The pre-hook of an incremental-by-customer model: the rows of the customers to
    rebuild (int_customers_to_rebuild, or the query `customers` gives) leave the table
    before their new rows are inserted (a customer whose rows are all gone now, for
    example one whose only event became a conflicting copy, keeps none). With no saved
    state (the table outlived it, or the run that built it stopped before saving it)
    every row leaves: the state is what tells which customers are gone since the table
    was built, and everyone there is now is recomputed anyway. -#}
{% macro delete_customers_to_rebuild(customers=none) -%}
    {%- if is_incremental() -%}
        {%- set state = incremental_state_relation() -%}
        {%- set saved = adapter.get_relation(
            database=state.database, schema=state.schema, identifier=state.identifier
        ) -%}
        delete from {{ this }}
        {%- if saved is not none %}
        where customer_id in (
            {{ customers if customers is not none
               else 'select customer_id from ' ~ ref('int_customers_to_rebuild') }}
        )
        {%- endif %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
