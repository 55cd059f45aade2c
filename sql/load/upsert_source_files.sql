insert or replace into source_files by name select * from incoming_source_files;
