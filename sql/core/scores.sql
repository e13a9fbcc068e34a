-- Grain: one row per submission × stage × expert, for submissions in core.submissions.
-- Key: submission_id, stage, expert_id
with scores as (
    select * from staging.stg_scores
),

submissions as (
    select * from core.submissions
),

stages as (
    select * from ref.stages
),

final as (
    select
        scores.submission_id,
        submissions.year,
        submissions.track,
        submissions.category,
        submissions.province,
        submissions.region,
        scores.stage,
        stages.stage_order,
        scores.expert_id,
        scores.expert_province,
        scores.political,
        scores.innovation,
        scores.effectiveness,
        scores.typicality,
        scores.total_score,
        scores.scored_at
    from scores
    inner join submissions using (submission_id)
    inner join stages using (stage)
)

select * from final
