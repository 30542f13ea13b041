{#- The body of a query giving, as `name`, each value of the expression `value` that two
    or more rows of `relation` (read as `alias`, if given) give, once: the values sorted
    and each compared with the one before it. At millions of nearly unique values one
    sorted column finds the few repeated ones faster than an aggregate holding a group
    for each. A null is never repeated. -#}
{% macro repeated_values(value, relation, name, alias=none) -%}
    select distinct ordered_values.{{ name }}
    from (
        select
            given_values.{{ name }},
            lag(given_values.{{ name }}) over (
                order by given_values.{{ name }}
            ) as previous_value
        from (
            select {{ value }} as {{ name }}
            from {{ relation }}{% if alias %} as {{ alias }}{% endif %}
        ) as given_values
    ) as ordered_values
    where ordered_values.{{ name }} = ordered_values.previous_value
{%- endmacro %}
