-- One row per scope (本省, its region group, 全国) for one year: the distribution of
-- per-submission 初评 scores under the track/category/level filters, and where the
-- province's median falls among all of the nation's submissions (0–1).
with scores as (
    select *
    from mart.submission_scores
    where stage = '初评'
        and year = $year
        and passes(track, $tracks)
        and passes(category, $categories)
        and passes(unit_level, $levels)
),

chosen as (
    select region
    from ref.provinces
    where province = $province
        and region in ('东部', '中部', '西部', '东北')
),

scoped as (
    select '本省' as scope, 1 as scope_order, mean_score, is_selected from scores where province = $province
    union all
    select '区域', 2, mean_score, is_selected from scores where region = (select region from chosen)
    union all
    select '全国', 3, mean_score, is_selected from scores
),

stats as (
    select
        scope,
        scope_order,
        unnest(score_spread(mean_score, is_selected))
    from scoped
    group by scope, scope_order
),

final as (
    select
        stats.*,
        (select count(*) filter (where scores.mean_score <= stats.median) / count(*) from scores)
            as median_percentile
    from stats
)

select * from final
order by scope_order
