-- One row per quarantined cell problem, newest run first, optionally for some provinces
-- (empty list = all): the file, the row as Excel counts it, the rule and the reason.
-- Row-level: issue 5 scopes it to the bureau's own province.
with quarantine as (
    select * from meta.quarantine
),

runs as (
    select run_id, finished_at from meta.load_runs
),

final as (
    select
        runs.finished_at,
        quarantine.file_name,
        quarantine.kind,
        quarantine.excel_row,
        quarantine.province,
        quarantine.rule_id,
        quarantine.column_header,
        quarantine.value,
        quarantine.message,
        quarantine.original_cells::varchar as original_cells
    from quarantine
    left join runs using (run_id)
    where len($provinces::varchar[]) = 0
        or list_contains($provinces::varchar[], quarantine.province)
)

select * from final
order by finished_at desc nulls last, file_name, excel_row
