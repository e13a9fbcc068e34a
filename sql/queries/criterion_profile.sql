-- One row per group (all groups together as 全部, then each 申报类别/申报类型) × selected or
-- not × criterion, for one year and stage under the global filters: the mean of the
-- criterion's per-submission mean, as a share of the criterion's maximum in the year's rubric
-- (ref.rubric: an assumption, not published).
with scores as (
    select *
    from filtered_scores($tracks, $categories, $regions, $levels, $include_central)
    where year = $year
        and stage = $stage
),

rubric as (
    select * from ref.rubric where year = $year
),

long as (
    unpivot scores
    on political, innovation, effectiveness, typicality
    into name field value points
),

grouped as (
    select '全部' as "group", 0 as group_order, is_selected, field, points from long
    union all
    select
        long.score_group,
        list_position(
            if(len(years.categories) > 0, years.categories, years.tracks), long.score_group
        ),
        long.is_selected,
        long.field,
        long.points
    from long
    inner join ref.programme_years as years using (year)
),

averaged as (
    select "group", group_order, is_selected, field, count(*) as n, avg(points) as mean_points
    from grouped
    group by all
),

final as (
    select
        averaged."group",
        averaged.group_order,
        averaged.is_selected,
        rubric.field,
        rubric.label,
        rubric.sort_order as criterion_order,
        rubric.max_points,
        averaged.n,
        averaged.mean_points,
        averaged.mean_points / rubric.max_points as share
    from averaged
    inner join rubric using (field)
)

select * from final
order by group_order, is_selected desc, criterion_order
