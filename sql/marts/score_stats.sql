-- Grain: one row per year × group (申报类别 from 2024, 申报类型 before) × stage, nationwide:
-- the distribution of per-submission mean scores (n, quartiles, mean) and the group's cut-off
-- (the lowest 终评 mean among its selected submissions). An aggregate every role may read, so a
-- bureau, whose mart.submission_scores holds its own province only, still sees the national
-- lines (access.toml).
with scores as (
    select * from mart.submission_scores
),

stats as (
    select
        year,
        score_group,
        stage,
        any_value(stage_order) as stage_order,
        count(*) as n,
        count(*) filter (where is_selected) as selected,
        min(mean_score) as min_score,
        quantile_cont(mean_score, 0.25) as q1,
        median(mean_score) as median,
        quantile_cont(mean_score, 0.75) as q3,
        max(mean_score) as max_score,
        avg(mean_score) as mean_score
    from scores
    group by all
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
