select person_id, display_name, company, title, first_seen_at, is_current from people;
