-- One row per year × group (申报类别 from 2024, 申报类型 before), under the global filters,
-- optionally for one province ($province null = all): counts and the selection rate.
with facts as (
    select *
    from mart.submission_facts
    where (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
        and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], category))
        and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region))
        and (len($levels::varchar[]) = 0 or list_contains($levels::varchar[], unit_level))
        and ($include_central or province is distinct from '中央单位')
        and ($province::varchar is null or province = $province::varchar)
),

years as (
    select * from ref.programme_years
),

data_years as (
    select year from mart.year_summary
),

groups as (
    select
        year,
        unnest(if(len(categories) > 0, categories, tracks)) as "group",
        if(len(categories) > 0, 'category', 'track') as group_kind,
        generate_subscripts(if(len(categories) > 0, categories, tracks), 1) as group_order
    from years
),

summed as (
    select
        year,
        coalesce(category, track) as "group",
        sum(submissions)::bigint as submissions,
        sum(recommended)::bigint as recommended,
        sum(reached_final)::bigint as reached_final,
        sum(selected)::bigint as selected,
        sum(first_score_sum) / nullif(sum(first_score_n), 0) as mean_score
    from facts
    group by all
),

final as (
    select
        groups.year,
        groups."group",
        groups.group_kind,
        groups.group_order,
        coalesce(summed.submissions, 0) as submissions,
        coalesce(summed.recommended, 0) as recommended,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.reached_final, 0)) as reached_final,
        if(year in (select year from mart.year_summary where selected is null), null, coalesce(summed.selected, 0)) as selected,
        summed.selected / nullif(summed.submissions, 0) as selection_rate,
        summed.mean_score
    from groups
    inner join data_years using (year)
    left join summed using (year, "group")
)

select * from final
order by year, group_order
