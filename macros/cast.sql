{#- dbt's contract check casts null to each contract type with its dispatched `cast`;
    on Postgres and Spark the type name is respelled first (contract_type). -#}
{% macro postgres__cast(field, type) -%}
    cast({{ field }} as {{ contract_type(type) }})
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ contract_type(type) }})
{%- endmacro %}
