{#- One readable text of a raw row, `name=value; ...`, kept with each rejected row so
    that it can be found and fixed at the source. -#}
{% macro raw_values_text(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("'" ~ column.split('.')[-1] ~ "='") -%}
        {%- do parts.append("coalesce(" ~ column ~ ", '')") -%}
        {%- if not loop.last %}{% do parts.append("'; '") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
