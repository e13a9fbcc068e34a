-- 县级融媒体中心趋势：各年申报、入选及占全部申报的比重
with facts as (
    select
        year,
        sum(submissions) as submissions,
        sum(submissions) filter (where unit_level = '县级' and unit_type = '融媒体中心') as county,
        sum(selected) filter (where unit_level = '县级' and unit_type = '融媒体中心') as county_selected
    from mart.submission_facts
    group by year
)

select
    year as 年度,
    county as 县级融媒体中心申报,
    county_selected as 县级融媒体中心入选,
    round(100.0 * county / submissions, 1) as 占申报比重_百分比
from facts
order by 年度
