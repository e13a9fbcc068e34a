-- Grain: one row per submitting unit, across years and names: the unit registry (etl/units)
-- decides which names are one unit; names lists them all, first-seen first.
-- Key: unit_id
with submissions as (
    select * from core.submissions
),

latest as (
    select unit_id, unit_name, province, region, unit_type, unit_level
    from submissions
    qualify row_number() over (
        partition by unit_id order by year desc, unit_level is null, submission_id
    ) = 1
),

activity as (
    select
        unit_id,
        min(year) as first_year,
        max(year) as last_year,
        count(distinct year) as years_active,
        count(*) as submissions,
        count(*) filter (where is_selected) as selected
    from submissions
    group by all
),

names as (
    select unit_id, list(unit_name order by first_year, unit_name) as names
    from (
        select unit_id, unit_name, min(year) as first_year
        from core.unit_names
        group by all
    )
    group by all
),

final as (
    select latest.*, activity.* exclude (unit_id), coalesce(names.names, []) as names
    from latest
    inner join activity using (unit_id)
    left join names using (unit_id)
)

select * from final
