{#- Stops the build when no raw subscription event is usable: every number would be
    empty or wrong, and a later test failing on a null reporting date would name neither
    the file nor the cause. The message names the raw table, the commonest rejection
    reason with the column it is about, and how many rows it took. Runs as a post-hook
    of stg_raw__subscription_events (`relation` is that model). -#}
{% macro assert_events_usable(relation) %}
    {% if execute %}
        {% set accepted = run_query('select count(*) from ' ~ relation) %}
        {% if accepted.columns[0].values()[0] == 0 %}
            {% set reasons = run_query(
                "select rejection_reason, count(*) from " ~ ref('base_raw__subscription_events')
                ~ " where rejection_reason is not null group by rejection_reason"
                ~ " order by 2 desc, 1 limit 1"
            ) %}
            {% set source = "raw table subscription_events"
                ~ (" (subscription_events.csv or .parquet in raw_data_dir '"
                    ~ var('raw_data_dir') ~ "')" if target.type == 'duckdb' else
                    " in schema " ~ var('raw_schema')) %}
            {% if reasons.rows | length == 0 %}
                {{ exceptions.raise_compiler_error(
                    "winback: the " ~ source ~ " has no rows: there is nothing to report on."
                ) }}
            {% endif %}
            {% set reason = reasons.rows[0][0] %}
            {% set column = {
                'unknown_event_type': 'event_type', 'unknown_billing_period': 'billing_period',
                'unknown_currency': 'currency', 'negative_amount': 'amount',
                'discount_pct_out_of_range': 'discount_pct',
                'conflicting_duplicate_key': 'event_id',
            }.get(reason, reason.split('_', 1)[1]) %}
            {{ exceptions.raise_compiler_error(
                "winback: no row of the " ~ source ~ " is usable. The commonest rejection is "
                ~ reason ~ " (column " ~ column ~ ", " ~ reasons.rows[0][1] ~ " rows); each"
                ~ " row's reason is in base_raw__subscription_events.rejection_reason. Check the"
                ~ " column against the raw input contract in the README."
            ) }}
        {% endif %}
    {% endif %}
    select 1
{% endmacro %}
