-- One row per year × region group (东部, 中部, 西部, 东北, then 兵团 and 中央单位 apart),
-- under the global filters: subtotals, pooled rates (total ÷ total), how many of the
-- group's provinces submitted, and the mean submissions per province of the group.
with facts as (
    select * from filtered_facts($tracks, $categories, $regions, $levels, $include_central)
),

regions as (
    select
        region,
        min(sort_order) as region_order,
        count(*) as provinces_in_group
    from provinces_in_scope($regions, $include_central)
    group by region
),

years as (
    select * from filter_years($tracks, $categories)
),

summed as (
    select year, region, funnel_sums(facts) as summed, count(distinct province) as provinces
    from facts
    where region is not null
    group by year, region
),

region_means as (
    select
        year,
        case scope when '新疆生产建设兵团' then '兵团' else scope end as region,
        mean_score as fallback_mean
    from scope_means($tracks, $categories, $levels)
    where scope_kind = '区域' or scope in ('新疆生产建设兵团', '中央单位')
),

final as (
    select
        region_means.fallback_mean,
        years.year,
        regions.region,
        regions.region_order,
        regions.provinces_in_group,
        years.result_status,
        years.applies,
        if(years.applies, coalesce(summed.provinces, 0), null) as provinces,
        unnest(funnel_filled(years.is_withheld, years.applies, summed.summed)),
        coalesce(summed.summed.submissions, 0) / regions.provinces_in_group
            as submissions_per_province
    from years
    cross join regions
    left join summed using (year, region)
    left join region_means using (year, region)
)

select * exclude (fallback_mean) replace (coalesce(mean_score, fallback_mean) as mean_score)
from final
order by year, region_order
