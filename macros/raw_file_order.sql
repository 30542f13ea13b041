{#- Identical copies of a row in different files: the earliest file name is the first
    copy, so which file a kept row comes from does not depend on the order of reading. -#}
{% macro raw_file_order(relation) -%}
    {%- if target.type == 'duckdb' -%}, {{ relation }}.raw_file{%- endif -%}
{%- endmacro %}
