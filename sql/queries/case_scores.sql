-- One row per stage at which one submission was scored: its experts' mean, lowest and highest
-- total, how many experts, each criterion's mean, and its rank within its group at that stage.
select
    stage,
    experts,
    mean_score,
    min_score,
    max_score,
    political,
    innovation,
    effectiveness,
    typicality,
    rank_in_group
from mart.submission_scores
where submission_id = $submission_id
order by stage_order
