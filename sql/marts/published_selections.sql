-- Grain: one row per selected item of a year whose results are published: what the published
-- lists print (year, track, category, province, unit, title) and nothing more. Public: every
-- role reads it whole, so a bureau sees other provinces' selected cases as NRTA publishes them.
-- Key: submission_id
with submissions as (
    select * from core.submissions
),

years as (
    select * from ref.programme_years
),

provinces as (
    select * from ref.provinces
),

final as (
    select
        submissions.submission_id,
        submissions.year,
        submissions.track,
        submissions.category,
        submissions.province,
        submissions.region,
        submissions.unit_name,
        submissions.title,
        provinces.sort_order as province_order
    from submissions
    inner join years using (year)
    left join provinces using (province)
    where submissions.is_selected and years.results_published
)

select * from final
order by year, track, category, province_order, unit_name, submission_id
