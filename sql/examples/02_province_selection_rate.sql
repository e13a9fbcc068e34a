-- 各省入选率（入选 ÷ 申报，2024年）
-- 分母是全部申报案例（含未获省级推荐的）；申报少于 5 个的省份入选率不稳定，已标出。
select
    province as 省份,
    sum(submissions) as 申报,
    sum(recommended) as 省级推荐,
    sum(selected) as 入选,
    round(100.0 * sum(selected) / sum(submissions), 1) as 入选率_百分比,
    sum(submissions) < 5 as 样本过小
from mart.submission_facts
where year = 2024 and province is not null
group by province
order by 入选 desc, 入选率_百分比 desc, 省份
