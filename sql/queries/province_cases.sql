-- One row per selected case of one province, every year, under the track/category/level
-- filters: what was chosen, from which unit, and its score at 终评. Row-level: issue 5
-- scopes it by role.
select
    year,
    track,
    category,
    unit_name,
    unit_level,
    unit_type,
    title,
    final_score,
    submission_id
from mart.cases
where province = $province
    and is_selected
    and passes(track, $tracks)
    and passes(category, $categories)
    and passes(unit_level, $levels)
order by year desc, coalesce(category, track), unit_name
