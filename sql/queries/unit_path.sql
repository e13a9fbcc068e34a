-- One row per year one unit took part (mart.unit_history, in the role's scope): the name it
-- wrote, how many submissions, its tracks and categories, the furthest stage reached, how
-- many were selected (masked where the year's results are withheld: result_status says so).
with history as (
    select * from mart.unit_history
    where unit_id = $unit_id
),

final as (
    select
        year,
        scheme,
        unit_name,
        submissions,
        tracks,
        categories,
        furthest_stage,
        selected,
        is_selected,
        selected_tracks,
        is_first_year,
        result_status
    from history
)

select * from final
order by year
