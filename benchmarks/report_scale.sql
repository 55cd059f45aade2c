-- repeat every person and relationship $copies - 1 more times under made-up ids (for timing)
create temp table n as select range as copy from range(1, $copies);
insert into people by name
select people.* replace (people.person_id || '_' || n.copy as person_id) from people, n;
insert into relationships by name
select relationships.* replace (relationships.person_id || '_' || n.copy as person_id)
from relationships, n;
