-- One row per group (申报类别 from 2024, 申报类型 before) × stage of one year, nationwide
-- (mart.score_stats, computed over every province's cases): the distribution of per-submission
-- mean scores and the group's cut-off. What a role that holds only its own province's scores
-- (a bureau) is shown instead of a distribution recomputed from its own copy.
with groups as (
    select
        unnest(if(len(categories) > 0, categories, tracks)) as score_group,
        generate_subscripts(if(len(categories) > 0, categories, tracks), 1) as group_order
    from ref.programme_years
    where year = $year
),

final as (
    select
        stats.score_group as "group",
        coalesce(groups.group_order, 99) as group_order,
        stats.* exclude (year, score_group)
    from mart.score_stats as stats
    left join groups using (score_group)
    where stats.year = $year
)

select * from final
order by group_order, stage_order
