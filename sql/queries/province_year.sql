-- One row per year × province-level submitter in scope (zero when it submitted nothing),
-- under the global filters: counts, rates, mean 初评 score, and for each map measure the
-- rank among provinces (兵团 included, 中央单位 not) and the change since the year before
-- (positive = moved up). Only provinces that submitted are ranked.
with facts as (
    select * from filtered_facts($tracks, $categories, $regions, $levels, $include_central)
),

provinces as (
    select * from provinces_in_scope($regions, $include_central)
),

years as (
    select * from filter_years($tracks, $categories)
),

grid as (
    select
        years.year,
        years.is_withheld,
        years.applies,
        years.result_status,
        provinces.province,
        provinces.region,
        provinces.sort_order as province_order
    from years
    cross join provinces
),

summed as (
    select year, province, funnel_sums(facts) as summed
    from facts
    group by year, province
),

province_means as (
    select year, scope as province, mean_score as fallback_mean, n as fallback_n
    from scope_means($tracks, $categories, $levels)
    where scope_kind = '省份'
),

filled as (
    select
        * exclude (fallback_mean, fallback_n) replace (coalesce(mean_score, fallback_mean) as mean_score),
        -- scored cases whose mean this role may not see (a small cell): no rank by mean then
        coalesce(fallback_n, 0) > 0 and coalesce(mean_score, fallback_mean) is null as is_suppressed
    from (
        select
            grid.* exclude (is_withheld, applies),
            province_means.fallback_mean,
            province_means.fallback_n,
            unnest(funnel_filled(grid.is_withheld, grid.applies, summed.summed))
        from grid
        left join summed using (year, province)
        left join province_means using (year, province)
    )
),

measured as (
    select
        *,
        coalesce(submissions > 0, false) and province <> '中央单位' as is_ranked,
        result_status <> 'withheld' as has_results
    from filled
),

ranked as (
    select
        *,
        if(is_ranked, rank() over (
            partition by year, is_ranked order by submissions desc
        ), null) as rank_submissions,
        -- A rank of a withheld result would be a rank among nulls (every province 1): none.
        if(is_ranked and has_results, rank() over (
            partition by year, is_ranked order by selected desc
        ), null) as rank_selected,
        if(is_ranked and has_results, rank() over (
            partition by year, is_ranked order by selection_rate desc
        ), null) as rank_selection_rate,
        if(is_ranked and mean_score is not null and not bool_or(is_suppressed) over by_year_all,
            rank() over (
                partition by year, is_ranked, mean_score is null order by mean_score desc
            ), null) as rank_mean_score
    from measured
    window by_year_all as (partition by year)
),

final as (
    select
        * exclude (is_ranked, has_results, is_suppressed),
        lag(rank_submissions) over by_year - rank_submissions as rank_change_submissions,
        lag(rank_selected) over by_year - rank_selected as rank_change_selected,
        lag(rank_selection_rate) over by_year - rank_selection_rate
            as rank_change_selection_rate,
        lag(rank_mean_score) over by_year - rank_mean_score as rank_change_mean_score
    from ranked
    window by_year as (partition by province order by year)
)

select * from final
order by year, province_order
