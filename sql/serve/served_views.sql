select view_name as name from duckdb_views()
where database_name = 'memory' and schema_name = 'main' and not internal
order by name;
