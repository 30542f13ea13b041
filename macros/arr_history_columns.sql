{#- Window columns over one customer's ARR history (one row per period in which the
    ARR changes), used by `classify_arr_movement`:
    - has_paid_before: some earlier period ended with ARR > 0;
    - last_churn_date: the latest earlier period that took the ARR from > 0 to 0. -#}
{% macro arr_history_columns(partition_by, order_by, arr_before, arr_after) -%}
    coalesce(
        max(case when {{ arr_after }} > 0 then 1 else 0 end) over (
            partition by {{ partition_by }}
            order by {{ order_by }}
            rows between unbounded preceding and 1 preceding
        ),
        0
    ) = 1 as has_paid_before,
    max(case when {{ arr_before }} > 0 and {{ arr_after }} = 0 then {{ order_by }} end) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and 1 preceding
    ) as last_churn_date
{%- endmacro %}
