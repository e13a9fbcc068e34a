-- Grain: one row per year × stage × group (全部, then each 申报类别/申报类型) × selected or not ×
-- criterion: the mean of the criterion's per-submission mean, nationwide, as a share of the
-- criterion's maximum in the year's rubric (ref.rubric: an assumption, not published). The
-- national profile a bureau's cases are set against (its own copy holds its own cases only).
-- Key: year, stage, score_group, is_selected, field
with scores as (
    select * from mart.submission_scores
),

rubric as (
    select * from ref.rubric
),

years as (
    select * from ref.programme_years
),

long as (
    unpivot scores
    on political, innovation, effectiveness, typicality
    into name field value points
),

grouped as (
    select year, stage, '全部' as score_group, 0 as group_order, is_selected, field, points
    from long
    union all
    select
        long.year,
        long.stage,
        long.score_group,
        list_position(if(len(years.categories) > 0, years.categories, years.tracks), long.score_group),
        long.is_selected,
        long.field,
        long.points
    from long
    inner join years using (year)
),

averaged as (
    select
        year, stage, score_group, any_value(group_order) as group_order, is_selected, field,
        count(*) as n,
        -- exact (sql/macros.sql): a float sum depends on the order it is taken in
        exact_mean(points) as mean_points
    from grouped
    group by year, stage, score_group, is_selected, field
),

final as (
    select
        averaged.*,
        rubric.label,
        rubric.sort_order as criterion_order,
        rubric.max_points,
        averaged.mean_points / rubric.max_points as share
    from averaged
    inner join rubric using (year, field)
)

select * from final
