-- One unit of the registry (core.units, in the role's scope): its latest name, province,
-- level and type, first and last year, years active, submissions and selections.
with units as (
    select * from core.units
    where unit_id = $unit_id
)

select * from units
