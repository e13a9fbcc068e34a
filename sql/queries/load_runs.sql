-- One row per run of the loader, newest first (the ledger), with how its rules went.
with runs as (
    select * from meta.load_runs
),

rules as (
    select
        run_id,
        count(*) as rules,
        count(*) filter (where not passed) as rules_failed
    from meta.dq_results
    group by run_id
),

final as (
    select
        runs.run_id,
        runs.command,
        runs.started_at,
        runs.finished_at,
        runs.status,
        runs.files,
        runs.rows_read,
        runs.rows_accepted,
        runs.rows_quarantined,
        runs.rows_warned,
        runs.seconds,
        runs.gate,
        coalesce(rules.rules, 0) as rules,
        coalesce(rules.rules_failed, 0) as rules_failed,
        runs.message
    from runs
    left join rules using (run_id)
)

select * from final
order by finished_at desc
limit 50
