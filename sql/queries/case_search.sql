-- One row per submission matching a search, newest year first, then official province order:
-- every keyword of $keywords (lower case) appears in the title or the unit's name, under the
-- global filters ($year null = every year), 入选 or not ($selected null = both), the furthest
-- stages in $stages ('未评审' = never scored) and the provinces in $provinces (empty = all).
-- An item a published list names by its unit alone has a null title: the unit's name finds it.
with cases as (
    select * from mart.cases
),

final as (
    select *
    from cases
    where ($year::integer is null or year = $year::integer)
        and in_filters(
            track, category, region, unit_level, province,
            $tracks, $categories, $regions, $levels, $include_central
        )
        and ($selected::boolean is null or is_selected = $selected::boolean)
        and passes(coalesce(furthest_stage, '未评审'), $stages)
        and passes(province, $provinces)
        and len(list_filter(
            $keywords::varchar[],
            lambda k: not (
                contains(lower(coalesce(title, '')), k)
                or contains(lower(coalesce(unit_name, '')), k)
            )
        )) = 0
)

select * from final
order by year desc, province_order nulls last, submission_id
