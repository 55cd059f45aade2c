-- one row per strong or regular tie that has gone quiet (no message in the last 180 days,
-- counted from today), strongest first: the people worth writing to again
create or replace view reconnect_list as

with

people as (
    select * from people
),

relationships as (
    select * from relationships
),

quiet_ties as (
    select
        -- ids
        relationships.person_id,
        -- who
        people.display_name,
        people.company,
        people.title,
        -- the tie
        relationships.strength,
        relationships.tier,
        relationships.channels,
        relationships.messages_sent,
        relationships.messages_received,
        -- timestamps
        relationships.last_interaction_at,
        date_diff('day', relationships.last_interaction_at::date, current_date) as days_quiet
    from relationships
    inner join people on relationships.person_id = people.person_id
    where
        relationships.tier in ('strong', 'regular')
        and relationships.last_interaction_at < current_date - interval 180 days
)

select * from quiet_ties
order by strength desc, last_interaction_at, person_id
