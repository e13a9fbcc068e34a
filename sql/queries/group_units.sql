-- One row per group (申报类别 from 2024, 申报类型 before) × dimension (unit_level or
-- unit_type) × value, for one year under the global filters: submissions and selected, and
-- the value's share of the group's submissions. Unknown levels (published lists) are 未标注.
with facts as (
    select *
    from filtered_facts($tracks, $categories, $regions, $levels, $include_central)
    where year = $year
),

by_dimension as (
    select
        coalesce(category, track) as "group",
        'unit_level' as dimension,
        coalesce(unit_level, '未标注') as value,
        submissions,
        selected
    from facts
    union all
    select
        coalesce(category, track),
        'unit_type',
        coalesce(unit_type, '未标注'),
        submissions,
        selected
    from facts
),

summed as (
    select
        "group",
        dimension,
        value,
        sum(submissions)::bigint as submissions,
        sum(selected)::bigint as selected
    from by_dimension
    group by all
),

final as (
    select
        *,
        submissions / sum(submissions) over (partition by "group", dimension) as share,
        selected / nullif(submissions, 0) as selection_rate
    from summed
)

select * from final
order by dimension, "group", value
