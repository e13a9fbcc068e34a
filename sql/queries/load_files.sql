-- One row per file of one run: what happened to it.
select
    file_name,
    kind,
    encoding,
    bytes,
    status,
    is_simulated,
    rows_read,
    rows_accepted,
    rows_quarantined,
    rows_warned,
    read_seconds + check_seconds + stage_seconds as seconds,
    message
from meta.load_files
where run_id = $run_id
order by load_seq nulls last, file_name
