-- every stored record of one person, with its raw fields, so all their identifiers are found
select r.* exclude (raw)
from records as r
inner join person_sources as s on r.record_id = s.record_id
where s.person_id = $person_id;
