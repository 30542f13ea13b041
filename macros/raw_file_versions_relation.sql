{#- The table beside a model's table of the files and versions it holds (macro
    raw_file_save_versions) or read (macro raw_file_reader_save_versions), so that each
    step of a run reads them from a few rows rather than from every row of the model's
    table. Beside `relation` when given, else beside this model. -#}
{% macro raw_file_versions_relation(relation=none) %}
    {% set beside = relation if relation is not none else this %}
    {{ return(beside.incorporate(path={'identifier': beside.identifier ~ '__file_versions'})) }}
{% endmacro %}
