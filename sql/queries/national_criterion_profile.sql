-- One row per group (全部, then each 申报类别/申报类型) × selected or not × criterion, for one
-- year and stage, nationwide (mart.criterion_profile): each criterion's mean as a share of its
-- maximum. What a bureau, whose copy holds its own cases only, sets its cases against.
select
    score_group as "group",
    group_order,
    is_selected,
    field,
    label,
    criterion_order,
    max_points,
    n,
    mean_points,
    share
from mart.criterion_profile
where year = $year
    and stage = $stage
order by group_order, is_selected desc, criterion_order
