-- One row per year × region group (东部, 中部, 西部, 东北, then 兵团 and 中央单位 apart),
-- under the global filters: subtotals, pooled rates (total ÷ total), how many of the
-- group's provinces submitted, and the mean submissions per province of the group.
with facts as (
    select *
    from mart.submission_facts
    where (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
        and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category))
        and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
        and (len($levels::varchar[]) = 0 or list_contains($levels::varchar[], unit_level))
        and ($include_central or province is distinct from '中央单位')
),

regions as (
    select
        region,
        min(sort_order) as region_order,
        count(*) as provinces_in_group
    from ref.provinces
    where takes_part
        and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
        and ($include_central or province <> '中央单位')
    group by region
),

years as (
    select year from mart.year_summary
),

summed as (
    select
        year,
        region,
        sum(submissions)::bigint as submissions,
        count(distinct province) as provinces,
        sum(recommended)::bigint as recommended,
        sum(reached_final)::bigint as reached_final,
        sum(selected)::bigint as selected,
        sum(first_score_sum) / nullif(sum(first_score_n), 0) as mean_score
    from facts
    where region is not null
    group by all
),

final as (
    select
        years.year,
        regions.region,
        regions.region_order,
        regions.provinces_in_group,
        coalesce(summed.provinces, 0) as provinces,
        coalesce(summed.submissions, 0) as submissions,
        coalesce(summed.recommended, 0) as recommended,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.reached_final, 0)) as reached_final,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.selected, 0)) as selected,
        summed.selected / nullif(summed.submissions, 0) as selection_rate,
        summed.recommended / nullif(summed.submissions, 0) as recommendation_rate,
        summed.reached_final / nullif(summed.submissions, 0) as final_rate,
        summed.mean_score,
        coalesce(summed.submissions, 0) / regions.provinces_in_group as submissions_per_province
    from years
    cross join regions
    left join summed using (year, region)
)

select * from final
order by year, region_order
