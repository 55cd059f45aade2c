-- one row per sync run: what it read, what it produced, and every per-file problem
create table if not exists sync_runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    finished_at timestamptz,
    status varchar not null,  -- succeeded | failed | dry_run
    kith_version varchar,
    input_paths varchar[],
    files_seen integer,
    files_parsed integer,
    files_unchanged integer,
    files_failed integer,
    files_unrecognised integer,
    records integer,
    hidden_records integer,
    people integer,
    merges integer,
    interactions integer,
    seconds double,
    errors struct(file varchar, "row" bigint, message varchar)[],
    changes json
);

-- added later: seconds per stage and the resolver's counters (candidate pairs, merges, ...)
alter table sync_runs add column if not exists stats json;
