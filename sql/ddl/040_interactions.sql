-- one row per (message, participant) from mail, LinkedIn messages/invitations and X DMs
create table if not exists interactions (
    file_sha256 varchar not null,
    source varchar not null,
    source_file varchar not null,
    source_row bigint,
    channel varchar not null,
    message_id varchar,
    thread_id varchar,
    occurred_at timestamptz,
    role varchar,
    email varchar,
    linkedin_url varchar,
    x_account_id varchar,
    name varchar,
    is_bulk boolean
);

-- the owner's own identifiers, from every export that names them
create table if not exists owner_identities (
    file_sha256 varchar not null,
    source varchar not null,
    kind varchar not null,
    value varchar not null
);
