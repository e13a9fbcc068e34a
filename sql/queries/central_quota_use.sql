-- One row per central unit that submitted in the year: its recommended submissions, in all
-- and in its fullest category, against the per-unit quotas (中央单位 submit unit by unit).
with cases as (
    select *
    from mart.cases
    where year = $year
        and province = '中央单位'
),

per_unit as (
    select
        unit_id,
        any_value(unit_name) as unit_name,
        count(*) as submissions,
        count(*) filter (where is_recommended) as recommended
    from cases
    group by unit_id
),

per_category as (
    select
        unit_id,
        category,
        count(*) filter (where is_recommended) as recommended
    from cases
    group by all
),

final as (
    select
        per_unit.unit_name,
        per_unit.submissions,
        per_unit.recommended,
        max(per_category.recommended) as max_per_category,
        $per_category::integer as quota_per_category,
        $total::integer as quota
    from per_unit
    left join per_category using (unit_id)
    group by all
)

select * from final
order by recommended desc, unit_name
