-- the person an identifier names: a current person_id, an old one (via history), or a key
select person_id from people where person_id = $key and $kind = 'person_id'
union
select new_person_id as person_id from person_id_history where old_person_id = $key and $kind = 'person_id'
union
select person_id from identity_keys where kind = $kind and key = $key;
