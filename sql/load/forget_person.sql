-- remove one person everywhere ($person_id; $record_ids are their records)
delete from match_links
where record_id_l in (select unnest($record_ids)) or record_id_r in (select unnest($record_ids));
delete from records where record_id in (select unnest($record_ids));
delete from person_sources where person_id = $person_id;
delete from people where person_id = $person_id;
delete from relationships where person_id = $person_id;
delete from identity_keys where person_id = $person_id;
delete from person_changes where person_id = $person_id;
delete from person_id_history where old_person_id = $person_id or new_person_id = $person_id;
