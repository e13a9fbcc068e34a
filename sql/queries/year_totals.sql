-- One row per year with data: the headline counts under the global filters (every year,
-- zero when the filters leave nothing). The one source of 申报数/入选数 on every page.
with facts as (
    select *
    from mart.submission_facts
    where (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
        and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category))
        and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
        and (len($levels::varchar[]) = 0 or list_contains($levels::varchar[], unit_level))
        and ($include_central or province is distinct from '中央单位')
),

years as (
    select year from mart.year_summary
),

summed as (
    select
        year,
        sum(submissions)::bigint as submissions,
        count(distinct province) filter (where province <> '中央单位') as provinces,
        sum(recommended)::bigint as recommended,
        sum(reached_first)::bigint as reached_first,
        sum(reached_second)::bigint as reached_second,
        sum(reached_final)::bigint as reached_final,
        sum(selected)::bigint as selected,
        sum(from_published_list)::bigint as from_published_list,
        sum(submissions) filter (where province is null)::bigint as unplaced,
        sum(first_score_sum) / nullif(sum(first_score_n), 0) as mean_score
    from facts
    group by year
),

final as (
    select
        years.year,
        coalesce(summed.submissions, 0) as submissions,
        coalesce(summed.provinces, 0) as provinces,
        coalesce(summed.recommended, 0) as recommended,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.reached_first, 0)) as reached_first,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.reached_second, 0)) as reached_second,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.reached_final, 0)) as reached_final,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.selected, 0)) as selected,
        coalesce(summed.from_published_list, 0) as from_published_list,
        coalesce(summed.unplaced, 0) as unplaced,
        summed.selected / nullif(summed.submissions, 0) as selection_rate,
        summed.recommended / nullif(summed.submissions, 0) as recommendation_rate,
        summed.reached_final / nullif(summed.submissions, 0) as final_rate,
        summed.mean_score
    from years
    left join summed using (year)
)

select * from final
order by year
