-- Grain: one row per programme year: the headline counts, beside the published ones, and
-- whether the year's review results may be shown (result_status, see core.submissions).
-- Key: year
with submissions as (
    select * from core.submissions
),

years as (
    select * from ref.programme_years
),

counted as (
    select
        year,
        count(*) as submissions,
        count(distinct unit_id) as units,
        count(distinct province) as provinces,
        count(*) filter (where is_recommended) as recommended,
        count(*) filter (where furthest_stage = '终评') as reached_final,
        count(*) filter (where is_selected) as selected,
        bool_and(is_from_published_list) as is_published_list_only
    from submissions
    group by all
),

final as (
    select
        years.year,
        years.scheme_label,
        counted.* exclude (year),
        years.selected_total as published_selected,
        years.results_published,
        if(years.results_published, 'published', 'internal') as result_status
    from years
    inner join counted using (year)
)

select * from final
order by year
