-- One row per year × member of one dimension ($dimension: region | province | group | level),
-- every year with data, under the global filters (zero-filled; a 申报类型 only in the years of
-- the three tracks, a 申报类别 only from 2024): submissions, selected, reached 终评, the
-- selection rate, the member's share of the year's total, and last year's values for the
-- year-on-year change (null across a year that does not apply under the filters: 不适用, or
-- whose results are withheld: 未公布, with applies and result_status saying which).
-- $order lists the members in display order (official province order…).
with facts as (
    select * from filtered_facts($tracks, $categories, $regions, $levels, $include_central)
),

years as (
    select
        filter_years.*,
        if(len(programme.categories) > 0, programme.categories, programme.tracks) as scheme_groups
    from filter_years($tracks, $categories) as filter_years
    inner join ref.programme_years as programme using (year)
),

membered as (
    select
        *,
        case $dimension::varchar
            when 'region' then coalesce(region, '待确认')
            when 'province' then coalesce(province, '待确认')
            when 'group' then coalesce(category, track)
            when 'level' then coalesce(unit_level, '未标注')
        end as member
    from facts
),

summed as (
    select year, member, funnel_sums(membered) as summed
    from membered
    group by year, member
),

grid as (
    select years.year, years.is_withheld, years.applies, years.result_status, members.member
    from years
    cross join (select distinct member from membered) as members
    where $dimension::varchar <> 'group' or list_contains(years.scheme_groups, members.member)
),

totals as (
    select
        year,
        sum(submissions) as all_submissions,
        sum(selected) as all_selected,
        sum(reached_final) as all_reached_final
    from facts
    group by year
),

filled as (
    select
        grid.year,
        grid.member,
        coalesce(list_position($order::varchar[], grid.member), 999) as member_order,
        grid.result_status,
        grid.applies,
        unnest(funnel_filled(grid.is_withheld, grid.applies, summed.summed)),
        if(grid.applies, coalesce(summed.summed.submissions, 0), null)
            / nullif(totals.all_submissions, 0) as share_submissions,
        if(grid.applies and not grid.is_withheld, coalesce(summed.summed.selected, 0), null)
            / nullif(totals.all_selected, 0) as share_selected,
        if(grid.applies and not grid.is_withheld, coalesce(summed.summed.reached_final, 0), null)
            / nullif(totals.all_reached_final, 0) as share_reached_final
    from grid
    left join summed using (year, member)
    left join totals using (year)
),

final as (
    select
        *,
        if(lag(year) over by_member = year - 1, lag(submissions) over by_member, null)
            as prev_submissions,
        if(lag(year) over by_member = year - 1, lag(selected) over by_member, null)
            as prev_selected,
        if(lag(year) over by_member = year - 1, lag(reached_final) over by_member, null)
            as prev_reached_final,
        if(lag(year) over by_member = year - 1, lag(selection_rate) over by_member, null)
            as prev_selection_rate
    from filled
    window by_member as (partition by member order by year)
)

select * from final
order by member_order, member, year
