insert into person_changes by name select * from incoming_person_changes;
