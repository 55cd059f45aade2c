insert or ignore into suppressed_identifiers by name select * from incoming_suppressed;
