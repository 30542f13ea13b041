{#- The columns of one raw file on DuckDB, as {lower-case name: (name as written, type)},
    after the checks a file must pass before it is read: a CSV file needs a header line,
    and no column name may appear twice in it. `contract_columns` lists the header a
    table needs. -#}
{% macro winback_raw_file_columns(path, file_format, contract_columns) %}
    {% set quoted = path.replace("'", "''") %}
    {% if file_format == 'csv' %}
        {#- The reader renames a repeated header (`amount`, `amount_1`), so which copy
            would be read is an accident: a repeated name, in any case, stops. Only the
            header line is read here, leniently: malformed lines further down are the
            loader's to report as rejected rows. -#}
        {% set header = run_query(
            "select * from read_csv('" ~ quoted ~ "', header = false,"
            ~ " all_varchar = true, delim = ',', quote = '\"', escape = '\"',"
            ~ " strict_mode = false, null_padding = true, ignore_errors = true, parallel = false)"
            ~ " limit 1"
        ) %}
        {% if header.rows | length == 0 %}
            {{ exceptions.raise_compiler_error(
                "winback raw contract: file " ~ path ~ " is empty: not even a header"
                ~ " row. A table with no rows still needs its header line: "
                ~ contract_columns | join(',')
            ) }}
        {% endif %}
        {% set seen = [] %}
        {% set repeated = [] %}
        {% for name in header.rows[0] %}
            {% set key = (name or '') | trim | lower %}
            {#- empty names pad the header to the widest line below it -#}
            {% if key and key in seen and key not in repeated %}
                {% do repeated.append(key) %}
            {% endif %}
            {% do seen.append(key) %}
        {% endfor %}
        {% if repeated %}
            {{ exceptions.raise_compiler_error(
                "winback raw contract: file " ~ path ~ " names the column '"
                ~ repeated | join("', '") ~ "' more than once (names are matched"
                ~ " case-insensitively), so which copy to read cannot be told."
                ~ " Keep one column of each name."
            ) }}
        {% endif %}
        {% set reader = "read_csv('" ~ quoted ~ "', header = true, all_varchar = true,"
            ~ " delim = ',', quote = '\"', escape = '\"', store_rejects = true,"
            ~ " rejects_table = 'winback_rejects', rejects_scan = 'winback_reject_scans')" %}
    {% else %}
        {% set reader = "read_parquet('" ~ quoted ~ "')" %}
    {% endif %}
    {% set present = {} %}
    {% for row in run_query('describe select * from ' ~ reader).rows %}
        {% do present.update({row[0] | lower: (row[0], row[1] | upper)}) %}
    {% endfor %}
    {{ return(present) }}
{% endmacro %}
