-- One row per programme year with data, newest first: its scheme and whether its results
-- are published (unpublished years stay restricted; issue 5).
with years as (
    select * from ref.programme_years
),

summary as (
    select * from mart.year_summary
),

final as (
    select
        years.year,
        years.scheme,
        years.scheme_label,
        years.tracks,
        years.categories,
        years.results_published,
        years.has_quota,
        summary.submissions
    from years
    inner join summary using (year)
)

select * from final
order by year desc
