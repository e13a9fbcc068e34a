-- One row per province (and 中央单位) and year: how many of its units took part, and how many
-- of them for the first time that year, in official province order. $provinces empty = all.
with history as (
    select * from mart.unit_history
    where province is not null
        and (len($provinces::varchar[]) = 0 or province in $provinces::varchar[])
),

provinces as (
    select province, sort_order from ref.provinces
),

final as (
    select
        history.province,
        history.year,
        count(*) filter (where history.is_first_year) as first_time,
        count(*) as units,
        any_value(provinces.sort_order) as sort_order
    from history
    left join provinces using (province)
    group by history.province, history.year
)

select province, year, first_time, units
from final
order by sort_order nulls last, province, year
