{#- The one-row table beside int_usage_inactivity_episodes with the as_of_date and the
    settings digest of the run that last built it (macro usage_spells_save_state). -#}
{% macro usage_spells_state_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__state'})) }}
{% endmacro %}
