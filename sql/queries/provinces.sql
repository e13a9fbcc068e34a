-- One row per province-level region, in official order: 31 provinces, 新疆生产建设兵团,
-- 中央单位, then 台湾/香港/澳门 (takes_part = false), with their tile-grid positions.
select
    province,
    name_full,
    abbr,
    code,
    region,
    sort_order,
    takes_part,
    tile_row,
    tile_col
from ref.provinces
order by sort_order
