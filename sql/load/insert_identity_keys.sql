insert into identity_keys by name select * from incoming_identity_keys;
