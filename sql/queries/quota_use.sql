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
    select category, funnel_sums(facts) as summed
    from facts
    group by category
),

year_status as (
    select * from data_years() where year = $year
),

final as (
    select
        categories.category,
        categories.category_order,
        year_status.result_status,
        unnest(funnel_filled(year_status.is_withheld, true, summed.summed)),
        $per_category::integer as quota
    from categories
    cross join year_status
    left join summed using (category)
)

select * from final
order by category_order
