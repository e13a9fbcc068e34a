-- 多次入选的单位（已公布年度）
select
    unit_name as 申报单位,
    province as 省份,
    unit_type as 单位类型,
    first_year as 首次申报,
    last_year as 最近申报,
    submissions as 申报次数,
    selected as 入选次数
from core.units
where selected >= 2
order by 入选次数 desc, 申报次数 desc, 申报单位
