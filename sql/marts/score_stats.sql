-- Grain: one row per year × group (申报类别 from 2024, 申报类型 before) × stage, nationwide:
-- the distribution of per-submission mean scores (n, quartiles, mean) and the group's cut-off
-- (the lowest 终评 mean among its selected submissions). An aggregate every role may read, so a
-- bureau, whose mart.submission_scores holds its own province only, still sees the national
-- lines (access.toml).
-- Key: year, score_group, stage
with scores as (
    select * from mart.submission_scores
),

stats as (
    select
        year,
        score_group,
        stage,
        any_value(stage_order) as stage_order,
        unnest(score_spread(mean_score, is_selected))
    from scores
    group by year, score_group, stage
),

cutoffs as (
    select year, score_group, min(mean_score) as cutoff
    from scores
    where stage = '终评' and is_selected
    group by all
),

final as (
    select
        stats.*,
        cutoffs.cutoff
    from stats
    left join cutoffs using (year, score_group)
)

select * from final
order by year, score_group, stage_order
