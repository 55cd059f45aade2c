insert or replace into sync_runs by name select * from incoming_sync_run;
