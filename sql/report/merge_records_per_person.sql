-- how many export records and distinct sources were merged into each person
select count(*) as records, count(distinct source) as sources
from person_sources
where person_id is not null
group by person_id
