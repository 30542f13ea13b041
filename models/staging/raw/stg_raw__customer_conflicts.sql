-- One row per customer_id whose rows in the customers table differ: every copy is
-- rejected (`conflicting_duplicate_key`), and this says how many copies there are and
-- which columns disagree, so the row to keep can be fixed at the source. Names the
-- columns only, never their values.

with

base as (

    select * from {{ ref('base_raw__customers') }}

),

conflicting as (

    select * from base
    where rejection_reason = 'conflicting_duplicate_key'

),

final as (

    select
        customer_id,
        count(*) as conflicting_rows,
        trim(
            case when count(distinct raw_name_text) > 1 then 'customer_name ' else '' end
            || case when count(distinct raw_email_text) > 1 then 'email ' else '' end
            || case when count(distinct raw_segment_text) > 1 then 'segment ' else '' end
            || case when count(distinct raw_country_text) > 1 then 'country ' else '' end
            || case when count(distinct raw_created_at_text) > 1 then 'created_at' else '' end
        ) as differing_columns

    from conflicting
    group by customer_id

)

select * from final
