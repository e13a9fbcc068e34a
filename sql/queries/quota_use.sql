-- One row per category of the year: how many of the province's submissions its bureau
-- recommended, against the per-category quota (all filters but year and province ignored:
-- the quota binds the whole province). Central units are counted per unit instead.
with facts as (
    select *
    from mart.submission_facts
    where year = $year
        and province = $province
),

categories as (
    select
        unnest(categories) as category,
        generate_subscripts(categories, 1) as category_order
    from ref.programme_years
    where year = $year
),

summed as (
    select
        category,
        sum(submissions)::bigint as submissions,
        sum(recommended)::bigint as recommended,
        sum(selected)::bigint as selected
    from facts
    group by all
),

final as (
    select
        categories.category,
        categories.category_order,
        coalesce(summed.submissions, 0) as submissions,
        coalesce(summed.recommended, 0) as recommended,
        if($year in (select year from mart.year_summary where selected is null), null, coalesce(summed.selected, 0)) as selected,
        $per_category::integer as quota
    from categories
    left join summed using (category)
)

select * from final
order by category_order
