-- derived tables are rebuilt from the resolution of every record on each run
delete from people;
insert into people by name select * from incoming_people;
delete from person_sources;
insert into person_sources by name select * from incoming_person_sources;
delete from match_links;
insert into match_links by name select * from incoming_match_links;
delete from identity_keys;
insert into identity_keys by name select * from incoming_identity_keys;
delete from relationships;
insert into relationships by name select * from incoming_relationships;
