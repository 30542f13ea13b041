{#- Two lists of (raw_file, raw_file_version), as the files are now and as a table read
    them: the paths whose version now is not among those read (`new`), the
    `file|version` pairs read that are not current any more (`gone`) and how many of
    them still are (`kept`). -#}
{% macro raw_file_version_diff(current, loaded) %}
    {% set current_pairs = [] %}
    {% for row in current %}
        {% do current_pairs.append(row[0] ~ '|' ~ row[1]) %}
    {% endfor %}
    {% set loaded_pairs = [] %}
    {% for row in loaded %}
        {% do loaded_pairs.append(row[0] ~ '|' ~ row[1]) %}
    {% endfor %}
    {% set new = [] %}
    {% for row in current if (row[0] ~ '|' ~ row[1]) not in loaded_pairs %}
        {% do new.append(row[0]) %}
    {% endfor %}
    {% set gone = loaded_pairs | reject('in', current_pairs) | list %}
    {{ return({'new': new, 'gone': gone, 'kept': loaded_pairs | length - gone | length}) }}
{% endmacro %}
