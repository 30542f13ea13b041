{#- The working table beside int_usage_inactivity_episodes of the customers a run
    recomputes (macro usage_spells_forget). -#}
{% macro usage_spells_changes_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__changes'})) }}
{% endmacro %}
