-- derived tables are rebuilt from the resolution of every record on each run
delete from people;
delete from person_sources;
delete from match_links;
delete from identity_keys;
delete from relationships;
