{#- One readable text of a raw row, `name=value; ...`, kept with each rejected row so
    that it can be found and fixed at the source. The values of the `personal` columns
    (names, emails) never leave staging: they read `(withheld)` when present and are
    empty otherwise, so the row can still be found by its key. Each value is labelled
    with its column's name, or with the matching entry of `names` when given. -#}
{% macro raw_values_text(columns, personal=[], names=none) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("'" ~ (names[loop.index0] if names else column.split('.')[-1]) ~ "='") -%}
        {%- if column in personal -%}
            {%- do parts.append(
                "case when " ~ column ~ " is null or " ~ column ~ " = '' then '' else '(withheld)' end"
            ) -%}
        {%- else -%}
            {%- do parts.append("coalesce(" ~ column ~ ", '')") -%}
        {%- endif -%}
        {%- if not loop.last %}{% do parts.append("'; '") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
