-- Quack authorisation hook: a client statement runs only if json_serialize_sql can serialise it,
-- which it does only for a single SELECT (DDL, DML, SET, ATTACH, COPY, PRAGMA and any
-- multi-statement string come back with "error": true). Measured in shared/NETSQL.md §2.3.
create or replace macro kith_read_only(sid, query) as
    not coalesce((json_serialize_sql(query::varchar)::json->>'error')::boolean, true);
