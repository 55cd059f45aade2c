-- every stored record for the resolution; raw JSON is only stored, never resolved
select * exclude (raw) from records;
