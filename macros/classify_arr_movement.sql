{#- The movement rule, written once. State is checked before size, so that a move from
    0 is new or a reactivation and a move to 0 is a churn, never an expansion or a
    contraction. A return within the reactivation window of the last churn
    (is_within_reactivation_window) is a reactivation; a later one is new (the customer
    is flagged as returning elsewhere). Under pause_treatment
    `churn_without_reactivation` a return after a churn caused by a pause
    (`last_churn_was_pause`) is new too: a resume, never a reactivation. -#}
{% macro classify_arr_movement(
    arr_before, arr_after, has_paid_before, last_churn_date, movement_date,
    last_churn_was_pause='false'
) -%}
    case
        when {{ arr_before }} = 0 and {{ arr_after }} > 0 and not {{ has_paid_before }}
            then 'new'
        when
            {{ arr_before }} = 0 and {{ arr_after }} > 0
            and {{ is_within_reactivation_window(last_churn_date, movement_date) }}
            {%- if policy('pause_treatment') == 'churn_without_reactivation' %}
            and not {{ last_churn_was_pause }}
            {%- endif %}
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
