-- Grain: one row per unit and year it took part: the name it wrote that year, its tracks and
-- categories, the furthest stage any of its cases reached, whether one was selected, and
-- whether this was its first year in the programme (2024 changed the scheme: see scheme).
-- Key: unit_id, year
with submissions as (
    select * from core.submissions
),

stages as (
    select * from ref.stages
),

years as (
    select * from ref.programme_years
),

per_year as (
    select
        submissions.unit_id,
        submissions.year,
        any_value(submissions.province) as province,
        min(submissions.unit_name) as unit_name,
        count(*) as submissions,
        list(distinct submissions.track order by submissions.track) as tracks,
        list(distinct submissions.category order by submissions.category)
            filter (where submissions.category is not null) as categories,
        max(stages.stage_order) as stage_order,
        count(*) filter (where submissions.is_selected) as selected,
        list(distinct submissions.track order by submissions.track)
            filter (where submissions.is_selected) as selected_tracks,
        bool_or(submissions.result_status = 'internal') as is_internal
    from submissions
    left join stages on stages.stage = submissions.furthest_stage
    group by all
),

final as (
    select
        per_year.unit_id,
        per_year.year,
        years.scheme,
        per_year.province,
        per_year.unit_name,
        per_year.submissions,
        per_year.tracks,
        coalesce(per_year.categories, []) as categories,
        stages.stage as furthest_stage,
        per_year.selected,
        per_year.selected > 0 as is_selected,
        coalesce(per_year.selected_tracks, []) as selected_tracks,
        per_year.year = min(per_year.year) over (partition by per_year.unit_id) as is_first_year,
        if(per_year.is_internal, 'internal', 'published') as result_status
    from per_year
    left join stages using (stage_order)
    left join years using (year)
)

select * from final
