-- one row per person in the owner's network (merged across every source)
create table if not exists people (
    person_id varchar primary key,
    display_name varchar,
    first_name varchar,
    last_name varchar,
    emails varchar[],
    phones varchar[],
    company varchar,
    title varchar,
    location varchar,
    linkedin_url varchar,
    x_handle varchar,
    x_account_id varchar,
    urls varchar[],
    labels varchar[],
    sources varchar[],
    record_count integer,
    first_seen_at timestamptz,
    last_seen_at timestamptz,
    is_current boolean
);

-- one row per contact record read from an export (person_id is null for records that are
-- not people: hidden LinkedIn profiles, the owner's own rows)
create table if not exists person_sources (
    person_id varchar,
    record_id varchar not null,
    source varchar not null,
    source_file varchar not null,
    source_row bigint not null,
    kind varchar not null,
    channel varchar,
    record_key varchar,
    file_sha256 varchar,
    is_current boolean
);

-- every link that put two records into one person, and the near-misses (decision = 'maybe')
create table if not exists match_links (
    person_id varchar,
    record_id_l varchar not null,
    record_id_r varchar not null,
    decision varchar not null,
    rule varchar,
    score double,
    details varchar  -- JSON text (query with ->> or json_extract): far cheaper to load than json
);

-- old -> new person ids when people merge or split, so saved queries keep resolving
create table if not exists person_id_history (
    old_person_id varchar not null,
    new_person_id varchar not null,
    change varchar not null,
    run_id varchar not null,
    changed_at timestamptz not null
);

-- normalised identifiers -> person, used to attribute mail and messages to people
create table if not exists identity_keys (
    kind varchar not null,
    key varchar not null,
    person_id varchar not null
);
