-- one row per person the owner can reach on two or more platforms (linkedin, x, email,
-- address book), e.g. a LinkedIn connection who also follows the owner on X
create or replace view multi_channel_people as

with

people as (
    select * from people
),

relationships as (
    select * from relationships
),

multi_channel as (
    select
        -- ids
        relationships.person_id,
        -- who
        people.display_name,
        people.company,
        people.title,
        -- reach
        relationships.platforms,
        relationships.platform_count,
        relationships.channels,
        relationships.is_linkedin_connection,
        relationships.is_x_follower,
        relationships.is_x_following,
        relationships.in_address_book,
        -- the tie
        relationships.strength,
        relationships.tier
    from relationships
    inner join people on relationships.person_id = people.person_id
    where relationships.platform_count >= 2
)

select * from multi_channel
order by platform_count desc, strength desc, person_id
