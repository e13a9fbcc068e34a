-- One row per group (申报类别 from 2024, 申报类型 before) × stage of one year, under the
-- global filters: the distribution of per-submission mean scores (n, quartiles, mean), and
-- the group's cut-off: the lowest 终评 mean among its selected submissions, nationwide (the
-- bar a case had to clear, whatever region or level the filters show).
with scores as (
    select *
    from mart.submission_scores
    where year = $year
),

filtered as (
    select *
    from scores
    where (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
        and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category))
        and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
        and (len($levels::varchar[]) = 0 or list_contains($levels::varchar[], unit_level))
        and ($include_central or province is distinct from '中央单位')
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
        count(*) as n,
        count(*) filter (where is_selected) as selected,
        min(mean_score) as min_score,
        quantile_cont(mean_score, 0.25) as q1,
        median(mean_score) as median,
        quantile_cont(mean_score, 0.75) as q3,
        max(mean_score) as max_score,
        avg(mean_score) as mean_score
    from filtered
    group by all
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
