{#- The working tables beside int_usage_inactivity_episodes (DuckDB): `state`, what the
    spells were last computed from (the usage model's files, the as_of_date, the
    settings), and `rebuild`, the days from which a run recomputes them. -#}
{% macro usage_spells_working_table(name) %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__' ~ name})) }}
{% endmacro %}
