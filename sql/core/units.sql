-- Grain: one row per submitting unit, across years (a unit is its name, spaces and quotes aside).
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

final as (
    select latest.*, activity.* exclude (unit_id)
    from latest
    inner join activity using (unit_id)
)

select * from final
