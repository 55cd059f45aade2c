insert into person_id_history by name select * from incoming_person_id_history;
