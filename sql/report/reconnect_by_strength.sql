-- strong ties gone quiet: strength at least $3 and no contact in the $4 days before the as-of
-- date $1 (or never); $2: how many
select
    p.display_name, p.company, r.strength, r.tier, r.last_interaction_at::date as last_contact,
    date_diff('day', r.last_interaction_at::date, $1::date) as days_quiet, r.channels
from relationships as r
join people as p using (person_id)
where r.strength >= $3
  and (r.last_interaction_at is null or r.last_interaction_at::date < $1::date - $4::integer)
order by r.strength desc, r.last_interaction_at nulls first, p.display_name
limit $2
