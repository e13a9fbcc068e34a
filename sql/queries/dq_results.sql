-- One row per quality rule checked in one run: rows checked and failed, failures first.
select
    rule_id,
    kind,
    description,
    severity,
    checked,
    failed,
    failed_pct,
    passed
from meta.dq_results
where run_id = $run_id
order by passed, severity, rule_id, kind
