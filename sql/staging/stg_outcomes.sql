-- Grain: one row per published item (year × unit × title, or the submission_id when given).
-- An item named by its unit alone (a 先导单位, or a news report's 典型案例) keeps a null title;
-- its key is year × unit × track.
-- Key: outcome_id
with source as (
    select
        *,
        regexp_replace(lower(unit_name), '[\s"“”‘’《》「」]', '', 'g') as unit_key,
        nullif(regexp_replace(lower(title), '[\s"“”‘’《》「」]', '', 'g'), '') as title_key
    from raw.outcomes
),

keyed as (
    select
        *,
        coalesce(
            submission_id,
            year || '|' || unit_key || '|' || coalesce(title_key, '#' || track)
        ) as outcome_id
    from source
),

latest as (
    select *
    from keyed
    qualify row_number() over (
        partition by outcome_id order by load_seq desc, excel_row desc
    ) = 1
),

final as (
    select
        outcome_id,
        submission_id,
        year,
        track,
        nullif(category, '') as category,
        unit_name,
        title,
        result,
        province,
        province_source,
        place_status,
        place_note,
        unit_key,
        title_key,
        file_id,
        excel_row
    from latest
)

select * from final
