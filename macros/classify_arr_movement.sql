{#- The movement rule, written once. State is checked before size, so that a move from
    0 is new or a reactivation and a move to 0 is a churn, never an expansion or a
    contraction. A return within `window_months` of the last churn is a reactivation;
    a later one is new (the customer is flagged as returning elsewhere). With
    window_months none there is no limit. -#}
{% macro classify_arr_movement(
    arr_before, arr_after, has_paid_before, last_churn_date, movement_date,
    window_months=var('reactivation_window_months')
) -%}
    case
        when {{ arr_before }} = 0 and {{ arr_after }} > 0 and not {{ has_paid_before }}
            then 'new'
        when {{ arr_before }} = 0 and {{ arr_after }} > 0
            {%- if window_months is not none %}
            and {{ movement_date }} <= {{ dbt.dateadd('month', window_months | int, last_churn_date) }}
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
