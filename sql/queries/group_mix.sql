-- One row per year × group (申报类别 from 2024, 申报类型 before) among the groups the filters
-- chose, under the global filters,
-- optionally for one province ($province null = all): counts and the selection rate.
with facts as (
    select *
    from filtered_facts($tracks, $categories, $regions, $levels, $include_central)
    where ($province::varchar is null or province = $province::varchar)
),

years as (
    select * from ref.programme_years
),

data_years as (
    select * from filter_years($tracks, $categories)
),

groups as (
    select
        year,
        unnest(if(len(categories) > 0, categories, tracks)) as "group",
        if(len(categories) > 0, 'category', 'track') as group_kind,
        generate_subscripts(if(len(categories) > 0, categories, tracks), 1) as group_order
    from years
),

-- Only the groups the filters chose: a 申报类别 filter keeps its categories, a 申报类型 filter
-- its tracks, so an export filtered to one category holds that category and nothing else.
chosen as (
    select *
    from groups
    where if(
        group_kind = 'category',
        len($categories::varchar[]) = 0 or list_contains($categories::varchar[], "group"),
        len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], "group")
    )
),

summed as (
    select year, coalesce(category, track) as "group", funnel_sums(facts) as summed
    from facts
    group by year, "group"
),

group_means as (
    select year, score_group as "group", mean_score as fallback_mean
    from mart.score_scopes
    where stage_order = 1
        and len($levels::varchar[]) = 0
        and if(
            $province::varchar is null,
            scope_kind = '全国' and len($regions::varchar[]) = 0 and $include_central,
            scope_kind = '省份' and scope = $province::varchar
        )
),

final as (
    select
        group_means.fallback_mean,
        groups.year,
        groups."group",
        groups.group_kind,
        groups.group_order,
        data_years.result_status,
        data_years.applies,
        unnest(funnel_filled(data_years.is_withheld, data_years.applies, summed.summed))
    from chosen as groups
    inner join data_years using (year)
    left join summed using (year, "group")
    left join group_means using (year, "group")
)

select * exclude (fallback_mean) replace (coalesce(mean_score, fallback_mean) as mean_score)
from final
order by year, group_order
