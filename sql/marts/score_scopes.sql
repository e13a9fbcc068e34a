-- Grain: one row per year × stage × group (全部, then each 申报类别/申报类型) × scope (全国, each of
-- the four region groups, each province-level submitter): the distribution of per-submission mean
-- scores, and where the scope's median falls among all of the nation's submissions of the same
-- year, stage and group (0–1). National, and only masked per role: a bureau sets its own cases
-- against these lines, never against a distribution recomputed from its own copy.
-- Key: year, stage, score_group, scope_kind, scope
with scores as (
    select * from mart.submission_scores
),

grouped as (
    select year, stage, stage_order, score_group, province, region, mean_score, is_selected
    from scores
    union all
    select year, stage, stage_order, '全部', province, region, mean_score, is_selected
    from scores
),

scoped as (
    select *, '全国' as scope_kind, '全国' as scope from grouped
    union all
    select *, '区域', region from grouped where region in ('东部', '中部', '西部', '东北')
    union all
    select *, '省份', province from grouped where province is not null
),

stats as (
    select
        year,
        stage,
        any_value(stage_order) as stage_order,
        score_group,
        scope_kind,
        scope,
        unnest(score_spread(mean_score, is_selected))
    from scoped
    group by year, stage, score_group, scope_kind, scope
),

-- The nation's scores and the scopes' medians in one ordering: the running count of national
-- scores at or below a median is where that median falls (medians sort after equal scores).
ordered as (
    select
        *,
        sum(1 - is_median) over (
            partition by year, stage, score_group
            order by value, is_median
            rows between unbounded preceding and current row
        ) as at_or_below,
        sum(1 - is_median) over (partition by year, stage, score_group) as nation
    from (
        select year, stage, score_group, mean_score as value, 0 as is_median,
            null::varchar as scope_kind, null::varchar as scope
        from grouped
        union all
        select year, stage, score_group, median, 1, scope_kind, scope
        from stats
    )
),

final as (
    select
        stats.*,
        ordered.at_or_below / ordered.nation as median_percentile
    from stats
    inner join ordered
        on ordered.is_median = 1
        and ordered.year = stats.year
        and ordered.stage = stats.stage
        and ordered.score_group = stats.score_group
        and ordered.scope_kind = stats.scope_kind
        and ordered.scope = stats.scope
)

select * from final
