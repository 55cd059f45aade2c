-- kith's own reconnect list (the reconnect_list view), with names and last contact dates;
-- $1: the as-of date, $2: how many
select
    p.display_name, p.company, r.strength, r.tier, r.last_interaction_at::date as last_contact,
    date_diff('day', r.last_interaction_at::date, $1::date) as days_quiet, r.channels
from (select distinct person_id from reconnect_list) as v
join people as p using (person_id)
join relationships as r using (person_id)
order by r.strength desc nulls last, r.last_interaction_at nulls first, p.display_name
limit $2
