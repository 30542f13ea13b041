-- One row per raw CSV line that could not be read as a row of its table.

with

malformed as (

    {{ malformed_raw_lines() }}

),

final as (

    select
        table_name as source_table,
        {{ dbt.concat(["'line '", dbt.cast('line', dbt.type_string())]) }} as source_key,
        'malformed_csv_line' as rejection_reason,
        {{ dbt.concat(['error_message', "': '", 'csv_line']) }} as raw_values

    from malformed

)

select * from final
