-- the most recent sync: when it finished and how it went
select finished_at, status
from sync_runs
where status <> 'dry_run'
order by started_at desc
limit 1
