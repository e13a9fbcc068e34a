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
    select * from data_years()
),

grid as (
    select
        years.year,
        years.is_withheld,
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

filled as (
    select grid.* exclude (is_withheld), unnest(funnel_filled(grid.is_withheld, summed.summed))
    from grid
    left join summed using (year, province)
),

measured as (
    select *, submissions > 0 and province <> '中央单位' as is_ranked
    from filled
),

ranked as (
    select
        *,
        if(is_ranked, rank() over (
            partition by year, is_ranked order by submissions desc
        ), null) as rank_submissions,
        if(is_ranked, rank() over (
            partition by year, is_ranked order by selected desc
        ), null) as rank_selected,
        if(is_ranked, rank() over (
            partition by year, is_ranked order by selection_rate desc
        ), null) as rank_selection_rate,
        if(is_ranked and mean_score is not null, rank() over (
            partition by year, is_ranked, mean_score is null order by mean_score desc
        ), null) as rank_mean_score
    from measured
),

final as (
    select
        * exclude (is_ranked),
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
