-- One row per raw CSV line that could not be read as a row of its table.

with

malformed as (

    {{ malformed_raw_lines() }}

),

final as (

    select
        table_name as source_table,
        -- `line 12`, or `subscription_events/part-2.csv line 12` when the table was read
        -- from more than one file.
        {{ dbt.concat([
            "coalesce(" ~ dbt.concat(['file_name', "' '"]) ~ ", '')",
            "'line '",
            dbt.cast('line_number', dbt.type_string()),
        ]) }} as source_key,
        'malformed_csv_line' as rejection_reason,
        -- A line of customers.csv holds names and emails, which never leave staging:
        -- its line number and the reader's error find it in the file.
        case
            when table_name = 'customers'
                then {{ dbt.concat(['error_message', "': (line withheld: personal data)'"]) }}
            else {{ dbt.concat(['error_message', "': '", 'csv_line']) }}
        end as raw_values

    from malformed

)

select * from final
