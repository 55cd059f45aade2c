select record_key, person_id from person_sources where person_id is not null and record_key is not null;
