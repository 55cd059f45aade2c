-- one row per change a sync made to a person (new, merged, split, removed, job changes)
create table if not exists person_changes (
    run_id varchar not null,
    person_id varchar,
    change varchar not null,
    old_value varchar,
    new_value varchar
);
