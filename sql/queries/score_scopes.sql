-- One row per scope (本省, its region group, 全国) for one year, stage and group ('全部', or one
-- 申报类别/申报类型): the distribution of per-submission mean scores, computed nationally in
-- mart.score_scopes (never from a role's own copy), and where the scope's median falls among
-- the nation's submissions (0–1).
with chosen as (
    select province, region
    from ref.provinces
    where province = $province
),

scopes as (
    select '本省' as scope_role, 1 as scope_order, '省份' as scope_kind, province as scope
    from chosen
    union all
    select '区域', 2, '区域', region from chosen where region in ('东部', '中部', '西部', '东北')
    union all
    select '全国', 3, '全国', '全国'
),

final as (
    select scopes.scope_role, scopes.scope_order, stats.*
    from scopes
    inner join mart.score_scopes as stats
        on stats.scope_kind = scopes.scope_kind and stats.scope = scopes.scope
    where stats.year = $year
        and stats.stage = $stage
        and stats.score_group = $group
)

select * from final
order by scope_order
