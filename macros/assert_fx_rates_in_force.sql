{#- Stops the build when an accepted row of `relation` carries money in a currency that
    has no exchange rate on or before the date it is valued at: every total would be
    wrong. The message names the table, the currencies and the first rows' keys.

    relation      the model just built (`this` in a post-hook)
    table_name    the raw table named in the message
    key_columns   the columns that name a row (joined with '|')
    date_column   the column holding the valuation date (a timestamp is cast to a date)
    date_label    what that date is called in the message
    Defaults: subscription events, valued on their effective date. -#}
{% macro assert_fx_rates_in_force(
    relation,
    table_name='subscription_events',
    key_columns=['event_id'],
    date_column='effective_date',
    date_label='effective'
) %}
    {% if execute %}
        {% set key_parts = [] %}
        {% for column in key_columns %}
            {% if not loop.first %}{% do key_parts.append("'|'") %}{% endif %}
            {% do key_parts.append(
                "coalesce(cast(rows_valued." ~ column ~ " as " ~ dbt.type_string() ~ "), '')"
            ) %}
        {% endfor %}
        {% set row_key = key_parts[0] if key_parts | length == 1 else dbt.concat(key_parts) %}
        {% set sql %}
            with first_rates as (
                select currency, min(rate_date) as first_rate_date
                from {{ ref('stg_raw__fx_rates') }}
                group by currency
            )
            select
                rows_valued.currency,
                {{ row_key }} as row_key,
                cast(cast(rows_valued.{{ date_column }} as date) as {{ dbt.type_string() }}) as valued_on
            from {{ relation }} as rows_valued
            left join first_rates on rows_valued.currency = first_rates.currency
            where
                rows_valued.currency is not null
                and rows_valued.currency <> upper('{{ var("reporting_currency") }}')
                and (first_rates.first_rate_date is null
                    or first_rates.first_rate_date > cast(rows_valued.{{ date_column }} as date))
            order by 1, 3, 2
        {% endset %}
        {% set missing = run_query(sql) %}
        {% if missing.rows | length > 0 %}
            {% set listed = [] %}
            {% for row in missing.rows[:20] %}
                {% do listed.append(row[0] ~ ' ' ~ row[1] ~ ' (' ~ date_label ~ ' ' ~ row[2] ~ ')') %}
            {% endfor %}
            {{ exceptions.raise_compiler_error(
                "winback: " ~ missing.rows | length ~ " " ~ table_name ~ " rows have an amount in a"
                ~ " currency with no rate in fx_rates on or before their " ~ date_label ~ " date"
                ~ " (reporting currency " ~ var('reporting_currency') ~ "): " ~ listed | join(', ')
                ~ (" ..." if missing.rows | length > 20 else "")
                ~ ". Add the rates to fx_rates or correct the currency."
            ) }}
        {% endif %}
    {% endif %}
    select 1
{% endmacro %}
