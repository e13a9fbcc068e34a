-- 评分分布：各年各评审阶段的案例平均分（每个案例取专家平均分）的分位数
-- 类型或类别：2024 年起为申报类别，之前为申报类型。未公布年度的评分不在其中。
select
    year as 年度,
    stage as 评审阶段,
    score_group as 类型或类别,
    count(*) as 案例数,
    round(min(mean_score), 1) as 最低分,
    round(quantile_cont(mean_score, 0.25), 1) as 下四分位,
    round(median(mean_score), 1) as 中位数,
    round(quantile_cont(mean_score, 0.75), 1) as 上四分位,
    round(max(mean_score), 1) as 最高分
from mart.submission_scores
group by all
order by 年度, min(stage_order), 类型或类别
