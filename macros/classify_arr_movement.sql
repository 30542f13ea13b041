{#- The movement rule, written once. State is checked before size, so that a move from
    0 is new or a reactivation and a move to 0 is a churn, never an expansion or a
    contraction. A return within the reactivation window of the last churn
    (is_within_reactivation_window) is a reactivation; a later one is new (the customer
    is flagged as returning elsewhere). -#}
{% macro classify_arr_movement(
    arr_before, arr_after, has_paid_before, last_churn_date, movement_date
) -%}
    case
        when {{ arr_before }} = 0 and {{ arr_after }} > 0 and not {{ has_paid_before }}
            then 'new'
        when
            {{ arr_before }} = 0 and {{ arr_after }} > 0
            and {{ is_within_reactivation_window(last_churn_date, movement_date) }}
            then 'reactivation'
        when {{ arr_before }} = 0 and {{ arr_after }} > 0
            then 'new'
        when {{ arr_before }} > 0 and {{ arr_after }} = 0
            then 'churn'
        when {{ arr_after }} > {{ arr_before }}
            then 'expansion'
        when {{ arr_after }} < {{ arr_before }}
            then 'contraction'
    end
{%- endmacro %}
