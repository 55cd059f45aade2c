-- summed tie strength per company spelling (folded together by the report)
select trim(p.company) as company, sum(r.strength) as strength
from people as p
join relationships as r using (person_id)
where nullif(trim(p.company), '') is not null and r.strength is not null
group by all
