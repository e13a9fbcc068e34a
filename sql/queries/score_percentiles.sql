-- One row per scope (本省, its region group, 全国) for one year: the distribution of
-- per-submission 初评 scores under the track/category/level filters, and where the
-- province's median falls among all of the nation's submissions (0–1).
with scores as (
    select *
    from mart.submission_scores
    where stage = '初评'
        and year = $year
        and (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
        and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category))
        and (len($levels::varchar[]) = 0 or list_contains($levels::varchar[], unit_level))
),

chosen as (
    select region
    from ref.provinces
    where province = $province
        and region in ('东部', '中部', '西部', '东北')
),

scoped as (
    select '本省' as scope, 1 as scope_order, mean_score from scores where province = $province
    union all
    select '区域', 2, mean_score from scores where region = (select region from chosen)
    union all
    select '全国', 3, mean_score from scores
),

stats as (
    select
        scope,
        scope_order,
        count(*) as n,
        min(mean_score) as min_score,
        quantile_cont(mean_score, 0.25) as q1,
        median(mean_score) as median,
        quantile_cont(mean_score, 0.75) as q3,
        max(mean_score) as max_score,
        avg(mean_score) as mean_score
    from scoped
    group by all
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
