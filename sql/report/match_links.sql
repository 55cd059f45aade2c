-- the links the resolver made, by decision and rule
select decision, coalesce(rule, '(none)') as rule, count(*) as links
from match_links
group by all
order by decision, links desc
