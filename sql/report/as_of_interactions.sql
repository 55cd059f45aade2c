-- the latest message in the data (ignoring dates in the future, a broken clock in an export)
select max(occurred_at)::date from interactions where occurred_at <= now() + interval 1 day
