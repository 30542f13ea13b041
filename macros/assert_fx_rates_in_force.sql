{#- Stops the build when an accepted event carries an amount in a currency that has no
    exchange rate on or before its effective date: every total would be wrong. The
    message names the currencies and the first event ids. -#}
{% macro assert_fx_rates_in_force(events) %}
    {% if execute %}
        {% set sql %}
            with first_rates as (
                select currency, min(rate_date) as first_rate_date
                from {{ ref('stg_raw__fx_rates') }}
                group by currency
            )
            select events.currency, events.event_id, cast(events.effective_date as {{ dbt.type_string() }})
            from {{ events }} as events
            left join first_rates on events.currency = first_rates.currency
            where
                events.currency is not null
                and events.currency <> upper('{{ var("reporting_currency") }}')
                and (first_rates.first_rate_date is null
                    or first_rates.first_rate_date > events.effective_date)
            order by 1, 3, 2
        {% endset %}
        {% set missing = run_query(sql) %}
        {% if missing.rows | length > 0 %}
            {% set listed = [] %}
            {% for row in missing.rows[:20] %}
                {% do listed.append(row[0] ~ ' ' ~ row[1] ~ ' (effective ' ~ row[2] ~ ')') %}
            {% endfor %}
            {{ exceptions.raise_compiler_error(
                "winback: " ~ missing.rows | length ~ " subscription_events rows have an amount in a"
                ~ " currency with no rate in fx_rates on or before their effective date"
                ~ " (reporting currency " ~ var('reporting_currency') ~ "): " ~ listed | join(', ')
                ~ (" ..." if missing.rows | length > 20 else "")
                ~ ". Add the rates to fx_rates or correct the currency."
            ) }}
        {% endif %}
    {% endif %}
    select 1
{% endmacro %}
