-- Grain: one row per year × province × track × category × unit_level × unit_type: the counts
-- every page filters and sums (申报 → 省级推荐 → 初评 → 复评 → 终评 → 入选), and the sum and
-- count of per-submission 初评 scores, so a mean survives any filter. Null dimensions (a
-- published list does not name a level; years before 2024 have no category) stay null.
-- Key: year, province?, track, category?, unit_level?, unit_type   (? = may be null)
with submissions as (
    select * from core.submissions
),

scores as (
    select * from mart.submission_scores
),

provinces as (
    select * from ref.provinces
),

stages as (
    select * from ref.stages
),

first_round as (
    select submission_id, mean_score
    from scores
    where stage = '初评'
),

stage_reached as (
    select
        submissions.*,
        coalesce(stages.stage_order, 0) as stage_order,
        first_round.mean_score as first_score
    from submissions
    left join stages on stages.stage = submissions.furthest_stage
    left join first_round using (submission_id)
),

counted as (
    select
        year,
        province,
        track,
        category,
        unit_level,
        unit_type,
        count(*) as submissions,
        count(*) filter (where is_recommended) as recommended,
        count(*) filter (where stage_order >= 1) as reached_first,
        count(*) filter (where stage_order >= 2) as reached_second,
        count(*) filter (where stage_order >= 3) as reached_final,
        count(*) filter (where is_selected) as selected,
        count(*) filter (where is_from_published_list) as from_published_list,
        coalesce(exact_sum(first_score), 0) as first_score_sum,
        count(first_score) as first_score_n,
        any_value(result_status) as result_status
    from stage_reached
    group by year, province, track, category, unit_level, unit_type
),

final as (
    select
        counted.year,
        counted.province,
        provinces.region,
        provinces.sort_order as province_order,
        counted.* exclude (year, province)
    from counted
    left join provinces using (province)
)

select * from final
