-- one row per person: how the owner knows them and how well
create table if not exists relationships (
    person_id varchar primary key,
    channels varchar[],
    is_linkedin_connection boolean,
    is_x_follower boolean,
    is_x_following boolean,
    in_address_book boolean,
    connected_on date,
    first_seen_on date,
    first_interaction_at timestamptz,
    last_interaction_at timestamptz,
    emails_sent integer,
    emails_received integer,
    linkedin_messages_sent integer,
    linkedin_messages_received integer,
    x_dms_sent integer,
    x_dms_received integer
);
