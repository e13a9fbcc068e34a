-- One row per stage at which one submission was scored: its experts' mean, lowest and highest
-- total, how many experts, each criterion's mean, its national rank within its group at that
-- stage, and its group's national cut-off (the lowest 终评 mean among the selected:
-- mart.score_stats), so every role reads the same rank and cut-off for the same case.
with scores as (
    select *
    from mart.submission_scores
    where submission_id = $submission_id
),

cutoffs as (
    select year, score_group, any_value(cutoff) as cutoff
    from mart.score_stats
    group by year, score_group
),

final as (
    select
        scores.stage,
        scores.experts,
        scores.mean_score,
        scores.min_score,
        scores.max_score,
        scores.political,
        scores.innovation,
        scores.effectiveness,
        scores.typicality,
        scores.rank_in_group,
        scores.stage_order,
        cutoffs.cutoff
    from scores
    left join cutoffs using (year, score_group)
)

select * exclude (stage_order) from final
order by stage_order
