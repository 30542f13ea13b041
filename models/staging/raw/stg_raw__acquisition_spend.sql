-- One row per accepted month × channel of new-customer acquisition spend.
{{ config(post_hook="{{ assert_fx_rates_in_force(
    this, 'acquisition_spend', ['spend_month', 'channel'], 'spend_month', 'month'
) }}") }}
-- depends_on: {{ ref('stg_raw__fx_rates') }}

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
