{#- The table beside the model's table of the files and versions it holds (macro
    raw_file_save_versions), so that each step of a run reads them from a few rows
    rather than from every row of the model's table. -#}
{% macro raw_file_versions_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__file_versions'})) }}
{% endmacro %}
