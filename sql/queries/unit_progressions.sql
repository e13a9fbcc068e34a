-- Units that moved up between tracks over the years: selected in a lower track (成长项目 <
-- 典型案例 < 先导单位) and later selected in a higher one, first such step per unit. 2024's
-- four categories are all 典型案例, so a 2019–2023 成长项目 later selected as a 2024 典型案例 is a
-- step across the scheme change (crosses_scheme says so). $provinces empty = all.
with history as (
    select * from mart.unit_history
    where is_selected
        and (len($provinces::varchar[]) = 0 or province in $provinces::varchar[])
),

selections as (
    select
        unit_id,
        year,
        scheme,
        track,
        case track when '成长项目' then 1 when '典型案例' then 2 when '先导单位' then 3 end
            as track_level
    from history, unnest(history.selected_tracks) as t(track)
),

steps as (
    select
        lower.unit_id,
        lower.year as from_year,
        lower.track as from_track,
        higher.year as to_year,
        higher.track as to_track,
        lower.scheme <> higher.scheme as crosses_scheme
    from selections as lower
    inner join selections as higher
        on lower.unit_id = higher.unit_id
        and higher.year > lower.year
        and higher.track_level > lower.track_level
    qualify row_number() over (
        partition by lower.unit_id order by higher.year, lower.year desc
    ) = 1
),

final as (
    select
        units.unit_name,
        units.province,
        steps.from_year,
        steps.from_track,
        steps.to_year,
        steps.to_track,
        steps.crosses_scheme
    from steps
    inner join core.units as units using (unit_id)
)

select * from final
order by to_year, province, unit_name
