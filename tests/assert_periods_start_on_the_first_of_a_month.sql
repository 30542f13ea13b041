-- Every period reported on starts on the first of a month: the usage reactivation rate
-- counts each period's pool from the month starts each spell is in the pool on (macro
-- reactivation_pool_months).

select
    period_grain,
    period_start

from {{ ref('int_reporting_periods') }}
where period_start <> cast({{ dbt.date_trunc('month', 'period_start') }} as date)
