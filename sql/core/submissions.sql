-- Grain: one row per submission. Every submitted case, plus every published item of a year
-- known only from a published list (source = '公布名单', is_from_published_list = true).
-- result_status says whether its review results (furthest_stage, is_selected) may be shown.
-- title is null where a 先导单位 or a published list names the unit only (never the unit copied).
-- Key: submission_id
with submissions as (
    select * from staging.stg_submissions
),

outcomes as (
    select * from staging.stg_outcomes
),

scores as (
    select * from staging.stg_scores
),

stages as (
    select * from ref.stages
),

provinces as (
    select * from ref.provinces
),

years as (
    select * from ref.programme_years
),

reached as (
    select scores.submission_id, max(stages.stage_order) as stage_order
    from scores
    inner join stages using (stage)
    group by all
),

-- An outcome names its submission by id when the list carries one, else by year, unit and title.
matched_by_id as (
    select submissions.submission_id, outcomes.outcome_id
    from submissions
    inner join outcomes using (submission_id)
),

matched_by_name as (
    select submissions.submission_id, outcomes.outcome_id
    from submissions
    inner join outcomes
        on outcomes.submission_id is null
        and outcomes.year = submissions.year
        and outcomes.unit_key = submissions.unit_key
        and outcomes.title_key = submissions.title_key
),

-- An outcome without a title (a 先导单位, or a list naming only the unit) names its submission
-- by year, track and unit, when exactly one submission fits; otherwise it stays its own item.
matched_by_unit as (
    select submissions.submission_id, outcomes.outcome_id
    from submissions
    inner join outcomes
        on outcomes.submission_id is null
        and outcomes.title_key is null
        and outcomes.year = submissions.year
        and outcomes.track = submissions.track
        and outcomes.unit_key = submissions.unit_key
    qualify count(*) over (partition by outcomes.outcome_id) = 1
),

matched as (
    select * from matched_by_id
    union
    select * from matched_by_name
    union
    select * from matched_by_unit
),

submitted as (
    select
        submissions.* exclude (file_id, excel_row),
        matched.outcome_id is not null as is_selected,
        coalesce(reached.stage_order, if(matched.outcome_id is not null, 3, null)) as stage_order,
        '申报表' as source,
        false as is_from_published_list,
        'file' as province_source,
        cast(null as varchar) as place_note
    from submissions
    left join matched using (submission_id)
    left join reached using (submission_id)
),

published_only as (
    select
        coalesce(
            submission_id,
            'PUB-' || year || '-'
            || substr(md5(unit_key || '|' || coalesce(title_key, '#' || track)), 1, 10)
        ) as submission_id,
        year,
        track,
        category,
        unit_name,
        -- A published list names the unit only; its type is read off the name, level is unknown.
        case
            when unit_name similar to '.*融媒体中心.*' then '融媒体中心'
            when unit_name similar to '.*(广电网络|有线).*' then '广电网络公司'
            when unit_name similar to '.*(广播电视台|广播电视总台|电视台|广播电台|总台|传媒集团|新闻集团).*'
                then '广播电视台'
            when unit_name similar to '.*(公司|集团).*' then '企业'
            else '其他'
        end as unit_type,
        cast(null as varchar) as unit_level,
        province,
        title,
        cast(null as timestamp) as submitted_at,
        cast(null as integer) as material_chars,
        cast(null as boolean) as is_recommended,
        unit_key,
        title_key,
        true as is_selected,
        3 as stage_order,
        '公布名单' as source,
        true as is_from_published_list,
        province_source,
        place_note
    from outcomes
    where outcome_id not in (select outcome_id from matched)
),

-- The unit registry (etl/units): every name seen, in its province, with its unit_id.
unit_ids as (
    select unit_key as name_key, province as name_province, any_value(unit_id) as unit_id
    from core.unit_names
    group by all
),

unioned as (
    select * from submitted
    union all by name
    select * from published_only
),

final as (
    select
        unioned.submission_id,
        unioned.year,
        unioned.track,
        unioned.category,
        unioned.province,
        provinces.region,
        unit_ids.unit_id,
        unioned.unit_name,
        unioned.unit_type,
        unioned.unit_level,
        unioned.title,
        unioned.submitted_at,
        unioned.material_chars,
        unioned.is_recommended,
        stages.stage as furthest_stage,
        unioned.is_selected,
        unioned.source,
        unioned.is_from_published_list,
        unioned.province_source,
        unioned.province is null as needs_review,
        unioned.place_note as review_note,
        -- Whether this row's review results may be shown: 'published', or 'internal' (not yet
        -- published; a role that may not see them reads 'withheld' and nulls: etl/access).
        if(years.results_published, 'published', 'internal') as result_status
    from unioned
    left join unit_ids
        on unit_ids.name_key = unioned.unit_key
        and unit_ids.name_province is not distinct from unioned.province
    left join provinces using (province)
    left join stages using (stage_order)
    left join years using (year)
)

select * from final
