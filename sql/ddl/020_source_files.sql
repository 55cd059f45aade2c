-- one row per input file ever loaded (the ledger): content hash, format, and whether it is current
create table if not exists source_files (
    sha256 varchar primary key,
    source_file varchar not null,
    locator varchar not null,
    connector varchar not null,
    source varchar not null,
    size_bytes bigint,
    exported_at timestamptz,
    first_seen_run varchar,
    last_seen_run varchar,
    status varchar not null,  -- active | superseded
    superseded_by varchar,
    record_count bigint,
    interaction_count bigint
);
