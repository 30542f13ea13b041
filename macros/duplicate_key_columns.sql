{#- For a table whose rows are identified by a natural key: `copy_rank` numbers the
    exact copies of a row (copies after the first are merged duplicates) and
    `has_conflicting_copies` is true when rows sharing the key differ. Rows without a
    key are never merged. `tie_break` (`, <column>`) orders exact copies. -#}
{% macro duplicate_key_columns(key, raw_values='raw_values', tie_break='') -%}
    case
        when {{ key }} is null then 1
        else row_number() over (
            partition by {{ key }}, {{ raw_values }} order by {{ raw_values }}{{ tie_break }}
        )
    end as copy_rank,
    coalesce(
        min({{ raw_values }}) over (partition by {{ key }})
        <> max({{ raw_values }}) over (partition by {{ key }}),
        false
    ) as has_conflicting_copies
{%- endmacro %}
