insert into records by name select * from incoming_records;
