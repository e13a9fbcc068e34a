-- Grain: one row per submission × stage it was scored at: its experts' mean total score and
-- spread, the mean of each criterion, and its rank among the submissions of the same year,
-- stage and group (category from 2024, track before), best first, and, for a case that reached
-- 终评, its rank among the group's finalists at each stage. Ranks are national: computed here
-- over every province's cases, and only masked for a role (etl/access), never recomputed.
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
        -- exact (sql/macros.sql): a float sum depends on the order it is taken in
        exact_mean(total_score) as mean_score,
        min(total_score) as min_score,
        max(total_score) as max_score,
        exact_sd(total_score) as sd_score,
        exact_mean(political) as political,
        exact_mean(innovation) as innovation,
        exact_mean(effectiveness) as effectiveness,
        exact_mean(typicality) as typicality
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

finalists as (
    select distinct submission_id
    from described
    where stage = '终评'
),

final as (
    select
        described.*,
        rank() over (
            partition by year, stage, score_group order by mean_score desc
        ) as rank_in_group,
        -- Among the group's 终评 finalists only, at every stage: so a finalist's 初评, 复评
        -- and 终评 ranks order the same cases and a move between stages means something.
        if(finalists.submission_id is null, null, rank() over (
            partition by year, stage, score_group, finalists.submission_id is null
            order by mean_score desc
        )) as finalist_rank
    from described
    left join finalists using (submission_id)
)

select * from final
