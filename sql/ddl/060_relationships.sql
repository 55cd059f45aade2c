-- one row per person: how the owner knows them, how they interact, and how strong the tie is
-- (rebuilt on every sync; time-based columns are measured against as_of, the exports' date)
create table if not exists relationships (
    person_id varchar primary key,
    -- channels
    channels varchar[],
    platforms varchar[],
    platform_count integer,
    is_linkedin_connection boolean,
    is_x_follower boolean,
    is_x_following boolean,
    in_address_book boolean,
    -- dates
    connected_on date,
    first_seen_on date,
    first_interaction_at timestamptz,
    last_interaction_at timestamptz,
    days_since_last_interaction integer,
    -- counts (one per message; bulk and self-addressed mail excluded)
    emails_sent integer,
    emails_received integer,
    linkedin_messages_sent integer,
    linkedin_messages_received integer,
    x_dms_sent integer,
    x_dms_received integer,
    linkedin_invitations_sent integer,
    linkedin_invitations_received integer,
    messages_sent integer,
    messages_received integer,
    email_threads integer,
    linkedin_threads integer,
    x_dm_threads integer,
    active_months integer,
    -- strength
    strength_frequency double,
    strength_recency double,
    strength_reciprocity double,
    strength_channels double,
    strength_computed double,
    strength double,
    strength_source varchar,  -- computed | override
    tier varchar,  -- strong | regular | weak | dormant
    as_of date
);

-- databases written by an earlier kith: add the columns that came later (the rows are rebuilt)
alter table relationships add column if not exists platforms varchar[];
alter table relationships add column if not exists platform_count integer;
alter table relationships add column if not exists days_since_last_interaction integer;
alter table relationships add column if not exists linkedin_invitations_sent integer;
alter table relationships add column if not exists linkedin_invitations_received integer;
alter table relationships add column if not exists messages_sent integer;
alter table relationships add column if not exists messages_received integer;
alter table relationships add column if not exists email_threads integer;
alter table relationships add column if not exists linkedin_threads integer;
alter table relationships add column if not exists x_dm_threads integer;
alter table relationships add column if not exists active_months integer;
alter table relationships add column if not exists strength_frequency double;
alter table relationships add column if not exists strength_recency double;
alter table relationships add column if not exists strength_reciprocity double;
alter table relationships add column if not exists strength_channels double;
alter table relationships add column if not exists strength_computed double;
alter table relationships add column if not exists strength double;
alter table relationships add column if not exists strength_source varchar;
alter table relationships add column if not exists tier varchar;
alter table relationships add column if not exists as_of date;
