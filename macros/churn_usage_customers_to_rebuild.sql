{#- In an incremental run, the query of the customers whose rows int_churn_usage_before
    recomputes: those of int_customers_to_rebuild (their churns were recomputed), and
    those with a churn whose lookback (macro is_in_usage_lookback) holds the day of a
    usage row in a file the usage base table read since this model's last run (a new
    day, or an earlier one that a conflicting copy now rejects; the row is read whether
    accepted or not). Every customer, of the churns and of this table, when the files
    tell nothing (macro raw_file_reader_changes), and when whether any accepted usage
    row exists (has_usage_data, the same on every row) changed. None in a full
    build. -#}
{% macro churn_usage_customers_to_rebuild() %}
    {% if not execute or not is_incremental() %}
        {{ return(none) }}
    {% endif %}
    {% set files = raw_file_reader_changes('base_raw__product_usage') %}
    {% set had_usage = run_query(
        'select has_usage_data from ' ~ this ~ ' limit 1').columns[0].values() %}
    {% set has_usage = run_query(
        'select count(*) > 0 from (select 1 from ' ~ ref('stg_raw__product_usage')
        ~ ' limit 1) as any_usage').columns[0].values() %}
    {% if files.everyone or (had_usage and had_usage[0] != has_usage[0]) %}
        {{ return(
            'select churns.customer_id from ' ~ ref('int_churn_episodes') ~ ' as churns'
            ~ ' union select kept.customer_id from ' ~ this ~ ' as kept') }}
    {% endif %}
    {% set customers %}
        select customers_to_rebuild.customer_id
        from {{ ref('int_customers_to_rebuild') }} as customers_to_rebuild
        {%- if files.new %}
        union
        select episodes.customer_id
        from {{ ref('base_raw__product_usage') }} as usage
        inner join {{ ref('int_churn_episodes') }} as episodes
            on
                usage.customer_id = episodes.customer_id
                and {{ is_in_usage_lookback('usage.activity_date', 'episodes.churn_date') }}
        where usage.raw_file in {{ raw_file_sql_list(files.new) }}
        {%- endif %}
    {% endset %}
    {{ return(customers | trim) }}
{% endmacro %}
