insert into person_sources by name select * from incoming_person_sources;
