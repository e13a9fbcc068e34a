-- 区域对比：东部、中部、西部、东北及中央单位、兵团，各年申报、进入终评与入选
select
    year as 年度,
    coalesce(region, '未确定') as 区域,
    sum(submissions) as 申报,
    sum(reached_final) as 进入终评,
    sum(selected) as 入选,
    round(100.0 * sum(selected) / sum(submissions), 1) as 入选率_百分比
from mart.submission_facts
group by all
order by 年度, 区域
