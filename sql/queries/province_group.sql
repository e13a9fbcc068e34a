-- One row per province-level submitter in scope × group (申报类别 from 2024, 申报类型
-- before) of one year, under the global filters, zero-filled, in official province order:
-- submissions, selected and the selection rate. The province × category heatmap.
with facts as (
    select *
    from filtered_facts($tracks, $categories, $regions, $levels, $include_central)
    where year = $year
),

provinces as (
    select * from provinces_in_scope($regions, $include_central)
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
        passes(groups."group", $categories),
        passes(groups."group", $tracks)
    )
),

summed as (
    select province, coalesce(category, track) as "group", funnel_sums(facts) as summed
    from facts
    group by province, "group"
),

year_status as (
    select * from filter_years($tracks, $categories) where year = $year
),

final as (
    select
        grid.*,
        year_status.result_status,
        unnest(funnel_filled(year_status.is_withheld, year_status.applies, summed.summed))
    from grid
    cross join year_status
    left join summed using (province, "group")
)

select * from final
order by province_order, group_order
