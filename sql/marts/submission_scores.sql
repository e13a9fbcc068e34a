-- Grain: one row per submission × stage it was scored at: its experts' mean total score and
-- spread, the mean of each criterion, and its rank among the submissions of the same year,
-- stage and group (category from 2024, track before), best first.
-- Key: submission_id, stage
with scores as (
    select * from core.scores
),

submissions as (
    select * from core.submissions
),

per_stage as (
    select
        submission_id,
        stage,
        any_value(stage_order) as stage_order,
        count(*) as experts,
        avg(total_score) as mean_score,
        min(total_score) as min_score,
        max(total_score) as max_score,
        stddev_samp(total_score) as sd_score,
        avg(political) as political,
        avg(innovation) as innovation,
        avg(effectiveness) as effectiveness,
        avg(typicality) as typicality
    from scores
    group by all
),

described as (
    select
        submissions.year,
        submissions.province,
        submissions.region,
        submissions.track,
        submissions.category,
        coalesce(submissions.category, submissions.track) as score_group,
        submissions.unit_level,
        submissions.unit_type,
        submissions.is_selected,
        per_stage.*
    from per_stage
    inner join submissions using (submission_id)
),

final as (
    select
        *,
        rank() over (
            partition by year, stage, score_group order by mean_score desc
        ) as rank_in_group
    from described
)

select * from final
