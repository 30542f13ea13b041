{% macro raw_file_keys_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__keys'})) }}
{% endmacro %}
