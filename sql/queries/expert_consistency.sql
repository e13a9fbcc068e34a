-- One row per expert × stage of one year: the expert's scores against their peers on the same
-- submissions (mart.expert_consistency), and a verdict: 偏严 or 偏宽 when the expert's mean
-- deviation is unusual among the stage's experts (|robust z| ≥ $min_z) and larger than chance
-- (|t| ≥ $min_t), 评分过少 under $min_scores compared scores. Nationwide: peers are whoever
-- scored the same submissions, so the sidebar filters do not apply.
with experts as (
    select *
    from mart.expert_consistency
    where year = $year
),

final as (
    select
        *,
        case
            when compared < $min_scores then '评分过少'
            when abs(robust_z) >= $min_z and abs(t_value) >= $min_t
                then if(mean_deviation < 0, '偏严', '偏宽')
            else '正常'
        end as verdict
    from experts
)

select * from final
order by stage_order, mean_deviation
