-- Grain: one row per year × stage × expert: how many scores the expert gave, their level and
-- spread, and how far the expert sits from the peers who scored the same submissions at the
-- same stage (deviation = the expert's total minus the mean total of the other experts on that
-- submission). robust_z places the expert's mean deviation among all experts of the year and
-- stage (median and MAD, so one extreme expert cannot hide another); t_value says whether the
-- mean deviation is larger than chance, given how many scores it rests on. Expert identities
-- live here and in core.scores only, so the access policy can withhold them in one place.
-- Key: year, stage, expert_id
with scores as (
    select * from core.scores
),

-- Sums and means exact (sql/macros.sql), here and below: a float sum depends on its order,
-- and two identical loads must give identical marts.
per_case as (
    select
        submission_id,
        stage,
        exact_sum(total_score) as case_total,
        count(*) as case_experts
    from scores
    group by submission_id, stage
),

with_peers as (
    select
        scores.year,
        scores.stage,
        scores.stage_order,
        scores.expert_id,
        scores.expert_province,
        scores.submission_id,
        scores.total_score,
        (per_case.case_total - scores.total_score)
        / nullif(per_case.case_experts - 1, 0) as peer_mean,
        scores.total_score - peer_mean as deviation
    from scores
    inner join per_case using (submission_id, stage)
),

per_expert as (
    select
        year,
        stage,
        any_value(stage_order) as stage_order,
        expert_id,
        any_value(expert_province) as expert_province,
        count(*) as scores,
        count(peer_mean) as compared,
        exact_mean(total_score) as mean_score,
        exact_sd(total_score) as sd_score,
        exact_mean(deviation) as mean_deviation,
        exact_sd(deviation) as sd_deviation,
        exact_mean(abs(deviation)) as mean_abs_deviation
    from with_peers
    group by year, stage, expert_id
),

panel as (
    select
        year,
        stage,
        count(*) as panel_experts,
        median(mean_deviation) as panel_median_deviation,
        mad(mean_deviation) as panel_mad_deviation
    from per_expert
    group by all
),

final as (
    select
        per_expert.*,
        panel.panel_experts,
        (per_expert.mean_deviation - panel.panel_median_deviation)
        / nullif(1.4826 * panel.panel_mad_deviation, 0) as robust_z,
        per_expert.mean_deviation
        / nullif(per_expert.sd_deviation / sqrt(per_expert.compared), 0) as t_value
    from per_expert
    inner join panel using (year, stage)
)

select * from final
