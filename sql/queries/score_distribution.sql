-- One row per group (申报类别 from 2024, 申报类型 before) × stage of one year, under the
-- global filters: the distribution of per-submission mean scores (n, quartiles, mean), and
-- the group's cut-off: the lowest 终评 mean among its selected submissions, nationwide (the
-- bar a case had to clear, whatever region or level the filters show).
with filtered as (
    select *
    from filtered_scores($tracks, $categories, $regions, $levels, $include_central)
    where year = $year
),

groups as (
    select
        unnest(if(len(categories) > 0, categories, tracks)) as score_group,
        generate_subscripts(if(len(categories) > 0, categories, tracks), 1) as group_order
    from ref.programme_years
    where year = $year
),

stats as (
    select
        score_group,
        stage,
        any_value(stage_order) as stage_order,
        unnest(score_spread(mean_score, is_selected))
    from filtered
    group by score_group, stage
),

cutoffs as (
    select score_group, any_value(cutoff) as cutoff
    from mart.score_stats
    where year = $year and stage = '终评'
    group by all
),

final as (
    select
        stats.score_group as "group",
        coalesce(groups.group_order, 99) as group_order,
        stats.* exclude (score_group),
        cutoffs.cutoff
    from stats
    left join groups using (score_group)
    left join cutoffs using (score_group)
)

select * from final
order by group_order, stage_order
