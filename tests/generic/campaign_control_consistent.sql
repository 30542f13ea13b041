{#- Fails for every campaign whose control group figures do not fit: eligible control
    members within the control members, control reactivations within the eligible, the
    control rate their quotient, and the incremental figures null exactly when there is
    no eligible control member. -#}
{% test campaign_control_consistent(model) %}

select *
from {{ model }}
where
    eligible_control_members < 0
    or eligible_control_members > control_members
    or control_reactivations < 0
    or control_reactivations > eligible_control_members
    or (eligible_control_members = 0 and (
        control_reactivation_rate is not null or incremental_reactivations is not null
        or incremental_roi is not null
    ))
    or (eligible_control_members > 0 and (
        control_reactivation_rate is null
        or incremental_reactivations is null
        or abs(
            control_reactivation_rate
            - cast(control_reactivations as {{ ratio_type() }}) / eligible_control_members
        ) > 1e-9
        or abs(
            incremental_reactivations
            - (attributed_reactivations - touched_members * control_reactivation_rate)
        ) > 1e-6
    ))

{% endtest %}
