{#- The base models of the large raw tables (events, product usage) read, on DuckDB, only
    the raw files they have not read before. Each row keeps the file it came from and
    that file's version (its size, modification second and, for a small file, its md5;
    with a digest of the model's code and the seeds it reads). A run compares the files
    of `winback_raw_files` with those the table holds:
    - `full`: the first build or `--full-refresh`: every row is read;
    - `rebuild`: no file the table holds is still current (the single-file form
      rewritten, or the model's code or seeds changed), or a file of a table read whole
      (customers) was added, rewritten or removed: the run is a full build (macro
      should_full_refresh), and the table is built afresh;
    - `files`: files were added, rewritten or removed: the natural keys found in those
      files (new rows, and the rows the table holds from files now gone or changed) are
      the keys to read again; the table's rows of those keys and of those files leave it,
      and every current row of those keys comes back, ranked among its copies as in a
      full build, with the new files' rows that have no key;
    - `none`: nothing changed, nothing is read.
    Elsewhere (Postgres, Spark) the raw tables have no files and the models are tables. -#}
{% macro raw_file_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}
