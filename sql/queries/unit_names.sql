-- Every name one unit was seen under (core.unit_names, in the role's scope): first and last
-- year, and in how many file rows, first-seen first.
with names as (
    select * from core.unit_names
    where unit_id = $unit_id
),

final as (
    select
        unit_name,
        min(year) as first_year,
        max(year) as last_year,
        count(*) as rows_seen
    from names
    group by unit_name
)

select * from final
order by first_year, unit_name
