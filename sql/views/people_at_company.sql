-- one row per person with a known company: who they are, their title and how strong the tie is
-- example: select * from people_at_company where company ilike '%acme%'
create or replace view people_at_company as

with

people as (
    select * from people
),

relationships as (
    select * from relationships
),

at_company as (
    select
        -- ids
        people.person_id,
        -- who
        people.display_name,
        people.company,
        people.title,
        people.location,
        people.linkedin_url,
        people.x_handle,
        -- the tie
        relationships.strength,
        relationships.tier,
        relationships.channels,
        relationships.last_interaction_at
    from people
    left join relationships on people.person_id = relationships.person_id
    where nullif(trim(people.company), '') is not null
)

select * from at_company
order by company, strength desc nulls last, display_name
