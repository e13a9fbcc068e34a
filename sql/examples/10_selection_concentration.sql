-- 各省入选集中在哪个单位：入选最多的单位占本省入选的比例（2019—2023 与 2024 年起分开）
with per_unit as (
    select
        province,
        if(year < 2024, '2019—2023年', '2024年起') as 时期,
        unit_id,
        sum(selected)::bigint as 入选数
    from mart.unit_history
    where is_selected
    group by all
)

select
    province as 省份,
    时期,
    sum(入选数) as 入选总数,
    count(*) as 入选单位数,
    max(入选数) as 最多单位入选数,
    round(100 * max(入选数) / sum(入选数), 1) as 最多单位占比
from per_unit
group by all
order by 时期, 入选总数 desc
