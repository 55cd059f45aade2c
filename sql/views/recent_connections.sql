-- one row per person who became part of the network in the last 90 days (counted from today):
-- a new LinkedIn connection, a first message, or a person new in an export after the first sync
create or replace view recent_connections as

with

people as (
    select * from people
),

relationships as (
    select * from relationships
),

first_sync as (
    -- everyone is "first seen" on the first sync: only later arrivals are news
    select min(first_seen_on) as first_seen_on from relationships
),

recent as (
    select
        -- ids
        relationships.person_id,
        -- who
        people.display_name,
        people.company,
        people.title,
        -- how they arrived
        case
            when relationships.connected_on >= current_date - interval 90 days
                then 'linkedin_connection'
            when relationships.first_interaction_at >= current_date - interval 90 days
                then 'first_message'
            else 'new_in_exports'
        end as arrived_by,
        greatest(
            relationships.connected_on,
            relationships.first_interaction_at::date,
            relationships.first_seen_on
        ) as arrived_on,
        -- dates
        relationships.connected_on,
        relationships.first_interaction_at,
        relationships.first_seen_on,
        -- the tie
        relationships.channels,
        relationships.strength,
        relationships.tier
    from relationships
    inner join people on relationships.person_id = people.person_id
    cross join first_sync
    where
        relationships.connected_on >= current_date - interval 90 days
        or relationships.first_interaction_at >= current_date - interval 90 days
        or (
            relationships.first_seen_on >= current_date - interval 90 days
            and relationships.first_seen_on > first_sync.first_seen_on
        )
)

select * from recent
order by arrived_on desc, strength desc nulls last, person_id
