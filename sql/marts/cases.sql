-- Grain: one row per submission: what a case list shows (unit, title, how far it went) with
-- its mean score at each stage, the province's official order for sorting, and where its
-- province came from (the file, or inferred from the unit's name; needs_review when unsure).
-- title is null for an item named by its unit alone (a 先导单位, a list giving units only): pages
-- show the unit's name marked 〔单位〕 in its place, and a count of titles stays honest.
-- Key: submission_id
with submissions as (
    select * from core.submissions
),

scores as (
    select * from mart.submission_scores
),

provinces as (
    select * from ref.provinces
),

stage_scores as (
    select
        submission_id,
        any_value(mean_score) filter (where stage = '初评') as first_score,
        any_value(mean_score) filter (where stage = '复评') as second_score,
        any_value(mean_score) filter (where stage = '终评') as final_score
    from scores
    group by all
),

final as (
    select
        submissions.submission_id,
        submissions.year,
        submissions.province,
        submissions.region,
        provinces.sort_order as province_order,
        submissions.track,
        submissions.category,
        submissions.unit_id,
        submissions.unit_name,
        submissions.unit_type,
        submissions.unit_level,
        submissions.title,
        submissions.submitted_at,
        submissions.is_recommended,
        submissions.furthest_stage,
        submissions.is_selected,
        submissions.source,
        submissions.is_from_published_list,
        submissions.province_source,
        submissions.needs_review,
        submissions.review_note,
        submissions.result_status,
        stage_scores.first_score,
        stage_scores.second_score,
        stage_scores.final_score
    from submissions
    left join provinces using (province)
    left join stage_scores using (submission_id)
)

select * from final
