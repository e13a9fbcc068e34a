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
    and (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
    and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category))
    and (len($levels::varchar[]) = 0 or list_contains($levels::varchar[], unit_level))
order by year desc, coalesce(category, track), unit_name
