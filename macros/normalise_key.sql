{#- The form in which free-text codes are matched against the alias seeds:
    trimmed and lower case, empty as null. -#}
{% macro normalise_key(column) -%}
    lower(nullif(trim({{ column }}), ''))
{%- endmacro %}
