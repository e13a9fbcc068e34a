-- One row per published selected item, under the track/category/level-free filters a list
-- has: one province ($province null = all) and one year ($year null = every published year).
-- Public (mart.published_selections): every role reads every province's list.
select
    year,
    track,
    category,
    province,
    unit_name,
    title
from mart.published_selections
where ($province::varchar is null or province = $province::varchar)
    and ($year::integer is null or year = $year::integer)
    and passes(track, $tracks)
    and passes(category, $categories)
order by year desc, track, category, province_order, unit_name
