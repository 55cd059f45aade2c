-- per-database settings (the suppression salt lives here)
create table if not exists kith_settings (
    key varchar primary key,
    value varchar not null
);

-- identifiers of forgotten people, as salted hashes only: a later sync drops matching records
create table if not exists suppressed_identifiers (
    kind varchar not null,
    key_hash varchar not null,
    forgotten_at timestamptz not null,
    primary key (kind, key_hash)
);
