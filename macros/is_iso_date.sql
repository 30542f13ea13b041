{#- True when text is a real calendar date written YYYY-MM-DD. -#}
{% macro is_iso_date(text) %}
    {% set match = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})$', text) %}
    {% if not match %}
        {{ return(false) }}
    {% endif %}
    {% set year = match.group(1) | int %}
    {% set month = match.group(2) | int %}
    {% set day = match.group(3) | int %}
    {% set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 %}
    {% set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] %}
    {{ return(month >= 1 and month <= 12 and day >= 1 and day <= month_days[month - 1]) }}
{% endmacro %}
