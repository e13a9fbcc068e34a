-- 各省各年首次参与的单位数，以及其中入选的（2023→2024 方案改变：2024 年起只有典型案例）
select
    province as 省份,
    year as 年度,
    scheme as 方案,
    count(*) filter (where is_first_year) as 首次参与单位,
    count(*) filter (where is_first_year and is_selected) as 首次参与即入选
from mart.unit_history
group by all
order by 省份, 年度
