-- One row per suggested unit match awaiting a person's decision, best score first (the
-- order etl.units.decide numbers them in).
with matches as (
    select * from meta.unit_matches
),

final as (
    select province, name_a, name_b, score, reason
    from matches
)

select * from final
