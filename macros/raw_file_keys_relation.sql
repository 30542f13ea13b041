{#- The working tables beside the model's table: the natural keys to read again (as the
    table stores them: macro raw_stored_key), or (`rows`) the file and number of the
    table's rows of those keys. -#}
{% macro raw_file_keys_relation(rows=false) %}
    {{ return(this.incorporate(path={
        'identifier': this.identifier ~ ('__key_rows' if rows else '__keys')})) }}
{% endmacro %}
