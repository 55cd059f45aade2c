insert into people by name select * from incoming_people;
