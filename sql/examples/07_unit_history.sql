-- 单位的历程：改过名的单位、各年所用名称与结果（单位登记把同一单位的不同名称合为一个 unit_id）
select
    units.unit_name as 申报单位,
    units.province as 省份,
    history.year as 年度,
    history.unit_name as 当年名称,
    history.tracks as 申报类型,
    history.furthest_stage as 最远阶段,
    history.selected_tracks as 入选类型
from mart.unit_history as history
inner join core.units as units using (unit_id)
where len(units.names) > 1
order by units.province, units.unit_name, history.year
