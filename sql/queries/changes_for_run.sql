-- the changes one sync made ($run_id; the latest run when null)
with target as (
    select coalesce($run_id, (select max(run_id) from sync_runs where status = 'succeeded')) as run_id
)

select
    c.run_id,
    c.change,
    c.person_id,
    c.old_value,
    c.new_value
from person_changes as c
inner join target as t on c.run_id = t.run_id
order by c.change, c.person_id;
