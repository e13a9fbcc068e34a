-- Units selected in two or more years the role may see the results of: latest name,
-- province, level, the years and tracks they were selected in, and how many years they took
-- part. Years whose results are withheld count for nothing here (their selections are
-- masked). $provinces empty = all.
with history as (
    select * from mart.unit_history
    where len($provinces::varchar[]) = 0 or province in $provinces::varchar[]
),

units as (
    select * from core.units
),

winners as (
    select
        unit_id,
        count(*) filter (where is_selected) as selected_years,
        list(year order by year) filter (where is_selected) as years,
        list(year::varchar || '年' || array_to_string(selected_tracks, '、') order by year)
            filter (where is_selected) as selections,
        count(*) as years_active
    from history
    group by unit_id
    having count(*) filter (where is_selected) >= 2
),

final as (
    select
        units.unit_id,
        units.unit_name,
        units.province,
        units.unit_level,
        units.unit_type,
        winners.selected_years,
        winners.years,
        array_to_string(winners.selections, '；') as selections,
        winners.years_active
    from winners
    inner join units using (unit_id)
)

select * from final
order by selected_years desc, years[1], province, unit_name
