-- 各年各类型（类别）入选数，与公布数对照
-- 2019–2023 按申报类型（先导单位/典型案例/成长项目），2024 年起按申报类别；未公布年度的入选数为空。
with selected as (
    select
        year,
        coalesce(category, track) as group_value,
        count(*) as submissions,
        count(is_selected) filter (where is_selected) as selected,
        bool_and(is_selected is null) as is_unpublished
    from core.submissions
    group by all
)

select
    selected.year as 年度,
    selected.group_value as 类型或类别,
    selected.submissions as 申报,
    if(selected.is_unpublished, null, selected.selected) as 入选,
    published.selected as 公布数
from selected
left join ref.published_counts as published
    on published.year = selected.year and published.group_value = selected.group_value
order by 年度, 类型或类别
