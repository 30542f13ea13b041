{#- What a run of int_usage_inactivity_episodes recomputes. A spell runs between two
    consecutive active days of a customer (or from the last one up to as_of_date), so
    new active days change only the spells they fall into. With W the first day within
    inactivity_days of the last run's as_of_date (macro usage_spells_window_start), no
    spell of that run starts on or after W, and only each customer's last spell can
    reach W or be open. So when the new accepted days all lie on or after W, each
    customer's spells are recomputed from that spell's last active day (its anchor) and
    their active days from W up to the new as_of_date; a customer with a row from a new
    file dated before W, or rejected (a conflicting copy can reject a day counted
    before), is recomputed from all of their days (macro usage_spells_forget).

    Returns {'everyone': true} in a full build, off DuckDB, when the usage base table's
    files tell nothing (macro raw_file_reader_changes: a file gone or rewritten), when
    no state was saved (macro usage_spells_save_state), when inactivity_days or the code
    changed (macro usage_spells_settings_digest), and when as_of_date is unknown or
    earlier than the last run's; else {'everyone': false, 'new_files': the paths read
    since the last run, 'old_as_of': that run's as_of_date as 'YYYY-MM-DD'}. -#}
{% macro usage_spells_plan() %}
    {% set everyone = {'everyone': true} %}
    {% if not execute or not is_incremental() or target.type != 'duckdb' %}
        {{ return(everyone) }}
    {% endif %}
    {% set files = raw_file_reader_changes('base_raw__product_usage') %}
    {% set state = usage_spells_state_relation() %}
    {% if files.everyone or adapter.get_relation(
        database=state.database, schema=state.schema, identifier=state.identifier) is none %}
        {{ return(everyone) }}
    {% endif %}
    {% set saved = run_query('select as_of_date, settings_digest from ' ~ state).rows %}
    {% set as_of = run_query('select as_of_date from ' ~ ref('int_reporting_dates')).rows %}
    {% if saved | length != 1 or saved[0][0] is none or as_of | length != 1
        or as_of[0][0] is none or as_of[0][0] < saved[0][0]
        or saved[0][1] != usage_spells_settings_digest() %}
        {{ return(everyone) }}
    {% endif %}
    {{ return({'everyone': false, 'new_files': files.new,
               'old_as_of': saved[0][0].strftime('%Y-%m-%d')}) }}
{% endmacro %}
