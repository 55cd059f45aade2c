insert into relationships by name select * from incoming_relationships;
