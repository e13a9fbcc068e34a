-- 先以较低类型入选、后以较高类型入选的单位（成长项目 → 典型案例 → 先导单位；2024 年起只有典型案例）
with selections as (
    select
        unit_id,
        year,
        unnest(selected_tracks) as track
    from mart.unit_history
    where is_selected
),

levels as (
    select
        *,
        case track when '成长项目' then 1 when '典型案例' then 2 when '先导单位' then 3 end as level
    from selections
)

select
    units.unit_name as 申报单位,
    units.province as 省份,
    lower_track.year as 先入选年度,
    lower_track.track as 先入选类型,
    higher.year as 后入选年度,
    higher.track as 后入选类型
from levels as lower_track
inner join levels as higher
    on lower_track.unit_id = higher.unit_id
    and higher.year > lower_track.year
    and higher.level > lower_track.level
inner join core.units as units on units.unit_id = lower_track.unit_id
order by 后入选年度, 省份, 申报单位
