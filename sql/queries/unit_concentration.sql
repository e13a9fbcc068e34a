-- One row per province and period (2019—2023, the three tracks; 2024 onward, the four
-- categories): its selections in years the role may see, how many units won them, its top
-- unit and that unit's share of the province's selections. Withheld years count for nothing.
-- $provinces empty = all.
with history as (
    select * from mart.unit_history
    where is_selected and province is not null
        and (len($provinces::varchar[]) = 0 or province in $provinces::varchar[])
),

per_unit as (
    select
        province,
        if(scheme = 'three_tracks', '2019—2023年', '2024年起') as period,
        unit_id,
        sum(selected)::bigint as selected
    from history
    group by all
),

ranked as (
    select
        per_unit.*,
        units.unit_name,
        row_number() over (
            partition by per_unit.province, per_unit.period
            order by per_unit.selected desc, units.unit_name
        ) as place
    from per_unit
    inner join core.units as units using (unit_id)
),

final as (
    select
        province,
        period,
        sum(selected)::bigint as selections,
        count(*) as units_selected,
        any_value(unit_name) filter (where place = 1) as top_unit,
        any_value(selected) filter (where place = 1) as top_selected,
        any_value(selected) filter (where place = 1) / sum(selected)::double as top_share
    from ranked
    group by province, period
)

select * from final
order by period, selections desc, top_share desc, province
