-- One row per accepted exchange rate (currency × rate date). Rows for the reporting
-- currency are kept here and ignored downstream, where it is always worth 1.

with

base as (

    select * from {{ ref('base_raw__fx_rates') }}

),

final as (

    select
        rate_date,
        currency,
        rate_to_reporting

    from base
    where not is_merged_duplicate and rejection_reason is null

)

select * from final
