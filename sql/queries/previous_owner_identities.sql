select * from owner_identities;
