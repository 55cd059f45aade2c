-- people per tie tier
select coalesce(tier, '(no tier)') as tier, count(*) as people
from relationships
group by all
