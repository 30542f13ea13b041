-- One row per period (month, quarter, year) from the first month with ARR through the
-- period holding as_of_date: the ARR bridge from starting to ending ARR.
{{ arr_waterfall() }}
