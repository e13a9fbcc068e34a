-- One row per submission of one province scored at the last stage (终评) in one year: its
-- mean there, its national rank among the group's finalists (of how many), the group's
-- cut-off and the gap to it (cut-off − mean: above 0 is how far below the line it stayed),
-- and its mean on each criterion beside the mean of the group's selected submissions.
-- Row-level: a bureau's copy holds its own province only; the cut-off, the finalist counts
-- and the selected profile are national (mart.score_stats, mart.criterion_profile).
with last_stage as (
    select stage from ref.stages order by stage_order desc limit 1
),

finalists as (
    select scores.*
    from mart.submission_scores as scores
    inner join last_stage using (stage)
    where scores.year = $year::integer and scores.province = $province::varchar
),

cases as (
    select submission_id, title, unit_name, is_selected, result_status
    from mart.cases
    where year = $year::integer and province = $province::varchar
),

cutoffs as (
    select score_group, cutoff, n as finalists
    from mart.score_stats
    inner join last_stage using (stage)
    where year = $year::integer
),

selected_profile as (
    select
        score_group,
        max(mean_points) filter (where field = 'political') as selected_political,
        max(mean_points) filter (where field = 'innovation') as selected_innovation,
        max(mean_points) filter (where field = 'effectiveness') as selected_effectiveness,
        max(mean_points) filter (where field = 'typicality') as selected_typicality
    from mart.criterion_profile
    inner join last_stage using (stage)
    where year = $year::integer and is_selected
    group by score_group
),

final as (
    select
        cases.title,
        cases.unit_name,
        finalists.score_group,
        cases.is_selected,
        cases.result_status,
        finalists.mean_score,
        finalists.finalist_rank,
        cutoffs.finalists,
        cutoffs.cutoff,
        cutoffs.cutoff - finalists.mean_score as gap,
        finalists.political,
        selected_profile.selected_political,
        finalists.innovation,
        selected_profile.selected_innovation,
        finalists.effectiveness,
        selected_profile.selected_effectiveness,
        finalists.typicality,
        selected_profile.selected_typicality,
        finalists.submission_id
    from finalists
    inner join cases using (submission_id)
    left join cutoffs using (score_group)
    left join selected_profile using (score_group)
)

select * from final
order by score_group, finalist_rank, submission_id
