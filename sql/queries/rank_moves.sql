-- One row per finalist (a submission scored at 终评) of one year and group, under the global
-- filters: its rank among all the group's finalists (nationwide) at 初评, 复评 and 终评, so a
-- move is a reordering of the same cases, its 终评 mean, and whether it was selected. The ranks
-- are the warehouse's (mart.submission_scores.finalist_rank): the filters choose which
-- finalists are listed, never whom they are ranked against.
with ranked as (
    select *, finalist_rank as rank_among_finalists
    from mart.submission_scores
    where year = $year
        and score_group = $group
        and finalist_rank is not null
),

shown as (
    select *
    from ranked
    where in_filters(
        track, category, region, unit_level, province,
        $tracks, $categories, $regions, $levels, $include_central
    )
),

cases as (
    select submission_id, title, unit_name, province
    from mart.cases
    where year = $year
),

moves as (
    select
        submission_id,
        any_value(is_selected) as is_selected,
        any_value(rank_among_finalists) filter (where stage = '初评') as first_rank,
        any_value(rank_among_finalists) filter (where stage = '复评') as second_rank,
        any_value(rank_among_finalists) filter (where stage = '终评') as final_rank,
        any_value(mean_score) filter (where stage = '终评') as final_score
    from shown
    group by submission_id
),

final as (
    select
        moves.final_rank,
        cases.title,
        cases.unit_name,
        cases.province,
        moves.first_rank,
        moves.second_rank,
        moves.first_rank - moves.final_rank as rank_change,
        moves.final_score,
        moves.is_selected,
        moves.submission_id
    from moves
    inner join cases using (submission_id)
)

select * from final
order by final_rank, submission_id
