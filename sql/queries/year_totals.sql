-- One row per year with data: the headline counts under the global filters (every year,
-- zero when the filters leave nothing, null where the year's scheme cannot match them: applies
-- false, 不适用; results null where withheld: result_status). The one source of 申报数/入选数 on
-- every page.
with facts as (
    select * from filtered_facts($tracks, $categories, $regions, $levels, $include_central)
),

years as (
    select * from filter_years($tracks, $categories)
),

summed as (
    select
        year,
        funnel_sums(facts) as summed,
        count(distinct province) filter (where province <> '中央单位') as provinces,
        sum(submissions) filter (where province is null)::bigint as unplaced
    from facts
    group by year
),

national_means as (
    select year, mean_score as fallback_mean
    from scope_means($tracks, $categories, $levels)
    where scope_kind = '全国' and len($regions::varchar[]) = 0 and $include_central
),

final as (
    select
        national_means.fallback_mean,
        years.year,
        years.result_status,
        years.applies,
        if(years.applies, coalesce(summed.provinces, 0), null) as provinces,
        if(years.applies, coalesce(summed.unplaced, 0), null) as unplaced,
        unnest(funnel_filled(years.is_withheld, years.applies, summed.summed))
    from years
    left join summed using (year)
    left join national_means using (year)
)

select * exclude (fallback_mean) replace (coalesce(mean_score, fallback_mean) as mean_score)
from final
order by year
