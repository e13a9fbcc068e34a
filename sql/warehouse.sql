-- Tables the loader writes. Everything else in the warehouse is rebuilt from these by the
-- models in staging/, core/ and marts/. Created once per warehouse; never dropped.

create schema if not exists raw;
create schema if not exists ref;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists mart;
create schema if not exists meta;

-- Accepted rows, exactly as normalised, one table per export kind. A later file's row for the
-- same key supersedes an earlier one (staging keeps the highest load_seq).
create table if not exists raw.submissions (
    file_id varchar, load_seq bigint, excel_row bigint,
    submission_id varchar, year integer, track varchar, category varchar,
    unit_name varchar, unit_type varchar, unit_level varchar, province varchar, title varchar,
    submitted_at timestamp, material_chars integer, is_recommended boolean
);

create table if not exists raw.scores (
    file_id varchar, load_seq bigint, excel_row bigint,
    submission_id varchar, stage varchar, expert_id varchar, expert_province varchar,
    political double, innovation double, effectiveness double, typicality double,
    total_score double, scored_at timestamp
);

create table if not exists raw.outcomes (
    file_id varchar, load_seq bigint, excel_row bigint,
    year integer, track varchar, category varchar, unit_name varchar, title varchar,
    result varchar, province varchar, submission_id varchar,
    province_source varchar, place_status varchar, place_note varchar
);

-- One row per run of load (the ledger).
create table if not exists meta.load_runs (
    run_id varchar primary key, command varchar, started_at timestamp, finished_at timestamp,
    status varchar, files integer, rows_read bigint, rows_accepted bigint,
    rows_quarantined bigint, rows_warned bigint, seconds double, gate boolean, message varchar
);

-- One row per file per run: what happened to it.
create table if not exists meta.load_files (
    run_id varchar, file_id varchar, file_name varchar, file_path varchar, kind varchar,
    encoding varchar, bytes bigint, status varchar, load_seq bigint, is_simulated boolean,
    rows_read bigint, rows_accepted bigint, rows_quarantined bigint, rows_warned bigint,
    read_seconds double, check_seconds double, stage_seconds double, message varchar
);

-- Rows kept aside by a blocking rule, with everything a person needs to fix them.
create table if not exists meta.quarantine (
    run_id varchar, file_id varchar, file_name varchar, kind varchar, excel_row bigint,
    province varchar, rule_id varchar, severity varchar, field varchar, column_header varchar,
    value varchar, message varchar, original_cells json
);

-- Warnings: the row was kept, and flagged.
create table if not exists meta.row_flags (
    run_id varchar, file_id varchar, file_name varchar, kind varchar, excel_row bigint,
    province varchar, rule_id varchar, field varchar, value varchar, message varchar
);

-- Per run and rule: how many rows were checked and how many failed.
create table if not exists meta.dq_results (
    run_id varchar, rule_id varchar, kind varchar, description varchar, severity varchar,
    checked bigint, failed bigint, failed_pct double, passed boolean
);

-- Corrections made without asking (浙江省 → 浙江, ４５００ → 4500), with the rule that made them.
create table if not exists meta.corrections (
    run_id varchar, file_id varchar, file_name varchar, excel_row bigint, province varchar,
    field varchar, before varchar, after varchar, rule_id varchar
);
-- Warehouses built before corrections carried a province (so bureaus can see their own).
alter table meta.corrections add column if not exists province varchar;

-- The warehouse's identity: a new version on every successful build (dashboard caches key on it).
create table if not exists meta.warehouse (
    version varchar, built_at timestamp, run_id varchar, data_as_of timestamp,
    is_simulated boolean
);
