-- One row per province-level submitter in scope × group (申报类别 from 2024, 申报类型
-- before) of one year, under the global filters, zero-filled, in official province order:
-- submissions, selected and the selection rate. The province × category heatmap.
with facts as (
    select *
    from mart.submission_facts
    where year = $year
        and (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], track))
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

groups as (
    select
        unnest(if(len(categories) > 0, categories, tracks)) as "group",
        generate_subscripts(if(len(categories) > 0, categories, tracks), 1) as group_order,
        len(categories) > 0 as is_category
    from ref.programme_years
    where year = $year
),

grid as (
    select
        provinces.province,
        provinces.region,
        provinces.sort_order as province_order,
        groups."group",
        groups.group_order
    from provinces
    cross join groups
    where if(
        groups.is_category,
        len($categories::varchar[]) = 0 or list_contains($categories::varchar[], groups."group"),
        len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], groups."group")
    )
),

summed as (
    select
        province,
        coalesce(category, track) as "group",
        sum(submissions)::bigint as submissions,
        sum(selected)::bigint as selected
    from facts
    group by all
),

final as (
    select
        grid.*,
        coalesce(summed.submissions, 0) as submissions,
        if($year in (select year from mart.year_summary where selected is null), null, coalesce(summed.selected, 0)) as selected,
        summed.selected / nullif(summed.submissions, 0) as selection_rate
    from grid
    left join summed using (province, "group")
)

select * from final
order by province_order, group_order
