-- every user table and view of the attached snapshot, to expose under its plain name
select table_name as name from duckdb_tables() where database_name = 'snap' and schema_name = 'main'
union
select view_name as name from duckdb_views()
where database_name = 'snap' and schema_name = 'main' and not internal
order by name;
