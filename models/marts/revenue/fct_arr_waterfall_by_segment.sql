-- One row per period (month, quarter, year) per customer segment: the ARR bridge of
-- each segment. The segments' rows add up to `fct_arr_waterfall`.
{{ arr_waterfall(['segment']) }}
