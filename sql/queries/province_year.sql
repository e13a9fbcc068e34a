-- One row per year × province-level submitter in scope (zero when it submitted nothing),
-- under the global filters: counts, rates, mean 初评 score, and for each map measure the
-- rank among provinces (兵团 included, 中央单位 not) and the change since the year before
-- (positive = moved up). Only provinces that submitted are ranked.
with facts as (
    select *
    from mart.submission_facts
    where (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
        and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category))
        and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
        and (len($levels::varchar[]) = 0 or list_contains($levels::varchar[], unit_level))
        and ($include_central or province is distinct from '中央单位')
),

provinces as (
    select *
    from ref.provinces
    where takes_part
        and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
        and ($include_central or province <> '中央单位')
),

years as (
    select year from mart.year_summary
),

grid as (
    select
        years.year,
        provinces.province,
        provinces.region,
        provinces.sort_order as province_order
    from years
    cross join provinces
),

summed as (
    select
        year,
        province,
        sum(submissions)::bigint as submissions,
        sum(recommended)::bigint as recommended,
        sum(reached_final)::bigint as reached_final,
        sum(selected)::bigint as selected,
        sum(first_score_sum) / nullif(sum(first_score_n), 0) as mean_score
    from facts
    group by all
),

measured as (
    select
        grid.*,
        coalesce(summed.submissions, 0) as submissions,
        coalesce(summed.recommended, 0) as recommended,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.reached_final, 0)) as reached_final,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.selected, 0)) as selected,
        summed.selected / nullif(summed.submissions, 0) as selection_rate,
        summed.recommended / nullif(summed.submissions, 0) as recommendation_rate,
        summed.mean_score,
        coalesce(summed.submissions, 0) > 0 and grid.province <> '中央单位' as is_ranked
    from grid
    left join summed using (year, province)
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
