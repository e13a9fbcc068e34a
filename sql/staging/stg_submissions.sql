-- Grain: one row per submission_id — the latest accepted row (a later file supersedes).
-- Key: submission_id
with source as (
    select * from raw.submissions
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by submission_id order by load_seq desc, excel_row desc
    ) = 1
),

final as (
    select
        submission_id,
        year,
        track,
        nullif(category, '') as category,
        unit_name,
        unit_type,
        unit_level,
        province,
        title,
        submitted_at,
        material_chars,
        is_recommended,
        regexp_replace(lower(unit_name), '[\s"“”‘’《》「」]', '', 'g') as unit_key,
        regexp_replace(lower(title), '[\s"“”‘’《》「」]', '', 'g') as title_key,
        file_id,
        excel_row
    from latest
)

select * from final
