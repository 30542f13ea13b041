{#- Fails for every campaign whose control group figures do not fit: each count of
    members whose window has closed within the count it narrows (closed control members
    within the eligible, within the control members; closed touched members within the
    touched; closed attributions within them and within all attributions); the control
    rate null exactly when no control window has closed and the lift null exactly when
    either side has none; and, once every touched member's window has closed, the lift
    equal to attributed reactivations - touched members x control rate (the SPEC's
    formula, which the model reaches from per-member rates). -#}
{% test campaign_control_consistent(model) %}

select *
from {{ model }}
where
    closed_control_members < 0
    or closed_control_members > eligible_control_members
    or eligible_control_members > control_members
    or control_reactivations < 0
    or control_reactivations > closed_control_members
    or closed_touched_members > touched_members
    or closed_attributed_reactivations > closed_touched_members
    or closed_attributed_reactivations > attributed_reactivations
    or ((control_reactivation_rate is null) <> (closed_control_members = 0))
    or (
        (incremental_reactivations is null)
        <> (closed_control_members = 0 or closed_touched_members = 0)
    )
    or (incremental_reactivations is null and incremental_roi is not null)
    or (
        closed_touched_members = touched_members
        and closed_attributed_reactivations = attributed_reactivations
        and incremental_reactivations is not null
        and abs(
            incremental_reactivations + touched_members * control_reactivation_rate
            - attributed_reactivations
        ) > 1e-6
    )

{% endtest %}
