-- e-mail domains by number of people (each person counted once per domain)
with domains as (
    select distinct person_id, lower(split_part(trim(email), '@', 2)) as domain
    from (select person_id, unnest(emails) as email from people)
    where email like '%_@_%'
)
select domain, count(*) as people
from domains
group by domain
