-- one person and every record that makes them up
select
    p.person_id,
    p.display_name,
    p.company,
    p.title,
    s.source,
    s.source_file,
    s.source_row,
    s.channel,
    s.is_current,
    s.record_id
from people as p
inner join person_sources as s on p.person_id = s.person_id
where p.person_id = $person_id
order by s.source, s.source_file, s.source_row;
