-- people with no usable date at all (X follow lists and address books carry none)
select count(*) filter (
    where not coalesce(connected_on between $1 and $2, false)
      and not coalesce(first_interaction_at::date between $1 and $2, false)
), count(*)
from relationships
