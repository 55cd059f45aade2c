-- every (table or view, column) in this database: the report checks what it needs before asking
select table_name, column_name
from information_schema.columns
where table_catalog = current_database() and table_schema = current_schema()
