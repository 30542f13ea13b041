-- One row per accepted month × channel of new-customer acquisition spend.

with

base as (

    select * from {{ ref('base_raw__acquisition_spend') }}

),

final as (

    select
        spend_month,
        channel,
        spend,
        currency

    from base
    where not is_merged_duplicate and rejection_reason is null

)

select * from final
