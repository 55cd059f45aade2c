insert into owner_identities by name select * from incoming_owner;
