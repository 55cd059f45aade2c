-- e-mail domains by summed tie strength (each person counted once per domain)
with domains as (
    select distinct person_id, lower(split_part(trim(email), '@', 2)) as domain
    from (select person_id, unnest(emails) as email from people)
    where email like '%_@_%'
)
select d.domain, sum(r.strength) as strength
from domains as d
join relationships as r using (person_id)
where r.strength is not null
group by d.domain
having sum(r.strength) > 0
