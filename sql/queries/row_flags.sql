-- One row per warning: the row was kept and flagged. Optionally for some provinces.
with flags as (
    select * from meta.row_flags
),

runs as (
    select run_id, finished_at from meta.load_runs
),

final as (
    select
        runs.finished_at,
        flags.file_name,
        flags.kind,
        flags.excel_row,
        flags.province,
        flags.rule_id,
        flags.field,
        flags.value,
        flags.message
    from flags
    left join runs using (run_id)
    where len($provinces::varchar[]) = 0
        or list_contains($provinces::varchar[], flags.province)
)

select * from final
order by finished_at desc nulls last, file_name, excel_row
