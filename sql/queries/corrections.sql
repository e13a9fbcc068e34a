-- One row per correction made without asking (浙江省 → 浙江), newest run first.
with corrections as (
    select * from meta.corrections
),

runs as (
    select run_id, finished_at from meta.load_runs
),

final as (
    select
        runs.finished_at,
        corrections.file_name,
        corrections.excel_row,
        corrections.field,
        corrections.before,
        corrections.after,
        corrections.rule_id
    from corrections
    left join runs using (run_id)
)

select * from final
order by finished_at desc nulls last, file_name, excel_row
