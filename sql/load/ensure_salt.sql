insert into kith_settings (key, value) values ('suppression_salt', $salt) on conflict do nothing;
