-- the links that put this person's records together, and near-misses touching them
select
    l.decision,
    l.rule,
    l.score,
    l.record_id_l,
    l.record_id_r,
    l.details::varchar as details
from match_links as l
where
    l.record_id_l in (select record_id from person_sources where person_id = $person_id)
    or l.record_id_r in (select record_id from person_sources where person_id = $person_id)
order by l.decision, l.score desc, l.record_id_l, l.record_id_r;
