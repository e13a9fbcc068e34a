-- Grain: one row per submission × stage × expert — the latest accepted row.
-- Key: submission_id, stage, expert_id
with source as (
    select * from raw.scores
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by submission_id, stage, expert_id order by load_seq desc, excel_row desc
    ) = 1
),

final as (
    select
        submission_id,
        stage,
        expert_id,
        expert_province,
        political,
        innovation,
        effectiveness,
        typicality,
        total_score,
        scored_at
    from latest
)

select * from final
