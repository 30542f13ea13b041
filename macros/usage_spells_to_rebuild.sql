{#- The first pre-hook of int_usage_inactivity_episodes in an incremental run (DuckDB):
    the working table `rebuild` of the days from which the spells are recomputed,
    found by comparing the usage model's files, the as_of_date and the settings with
    the state saved by the last build of the spells (macro save_usage_spells_state):
    - one row per customer with a row in a file new since then (a new file, or a file
      rewritten, which has a new version): the customer's first day in those files on
      or before as_of_date. A row's key is its customer and day, so every row that such
      a file adds, demotes (a copy) or rejects (a conflicting copy) is on that day or
      later; a customer with no row in them has every day as it was;
    - one row without a customer: is_everyone when the settings changed, a file the
      state holds is gone, or no state was saved; rebuild_from_date, the earlier of the
      old and new as_of_date when it moved (every customer's open spells and the days
      between the two dates). -#}
{% macro usage_spells_to_rebuild() %}
    {%- if not is_incremental() -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set state = usage_spells_working_table('state') -%}
    {%- set saved = adapter.get_relation(
        database=state.database, schema=state.schema, identifier=state.identifier) -%}
    {%- set usage_rows = ref('base_raw__product_usage') -%}
    create or replace table {{ usage_spells_working_table('rebuild') }} as
    with

    saved_state as (

        {% if saved is not none -%}
            select * from {{ saved }}
        {%- else -%}
            select
                cast(null as varchar) as state_kind,
                cast(null as varchar) as raw_file,
                cast(null as varchar) as raw_file_version,
                cast(null as date) as state_date
            where false
        {%- endif %}

    ),

    saved_files as (

        select raw_file, raw_file_version
        from saved_state
        where state_kind = 'file'

    ),

    current_files as (

        select raw_file, raw_file_version
        from {{ usage_rows }}
        group by raw_file, raw_file_version

    ),

    new_files as (

        select * from current_files
        except
        select * from saved_files

    ),

    gone_files as (

        select * from saved_files
        except
        select * from current_files

    ),

    reporting_dates as (

        select * from {{ ref('int_reporting_dates') }}

    ),

    saved_as_of as (

        select max(state_date) as as_of_date
        from saved_state
        where state_kind = 'as_of_date'

    ),

    everyone as (

        select
            not exists (
                select 1
                from saved_state
                where state_kind = 'settings' and raw_file = '{{ usage_spells_settings() }}'
            )
            or exists (select 1 from gone_files)
            or saved_as_of.as_of_date is null
            or reporting_dates.as_of_date is null as is_everyone,
            case
                when saved_as_of.as_of_date < reporting_dates.as_of_date
                    then saved_as_of.as_of_date
                when saved_as_of.as_of_date > reporting_dates.as_of_date
                    then reporting_dates.as_of_date
            end as rebuild_from_date

        from saved_as_of
        cross join reporting_dates

    ),

    customers as (

        select
            usage_rows.customer_id,
            min(usage_rows.activity_date) as rebuild_from_date

        from {{ usage_rows }} as usage_rows
        inner join new_files
            on
                usage_rows.raw_file = new_files.raw_file
                and usage_rows.raw_file_version = new_files.raw_file_version
        cross join reporting_dates
        where
            usage_rows.customer_id is not null
            and usage_rows.activity_date <= reporting_dates.as_of_date
        group by usage_rows.customer_id

    )

    select
        cast(null as varchar) as customer_id,
        is_everyone,
        rebuild_from_date
    from everyone

    union all

    select
        customer_id,
        false as is_everyone,
        rebuild_from_date
    from customers
{% endmacro %}
