-- when each person joined the network, and how: the LinkedIn connection date or the first
-- message in any channel, whichever came first. People with neither are counted as undated.
-- $1, $2: the plausible date range (dates outside it are treated as undated)
with dated as (
    select
        person_id,
        case when connected_on between $1 and $2 then connected_on::date end as connected,
        case
            when first_interaction_at::date between $1 and $2 then first_interaction_at::date
        end as messaged
    from relationships
)
select
    case
        when connected is not null and (messaged is null or connected <= messaged)
            then 'LinkedIn connection'
        else 'first message'
    end as how,
    date_trunc('month', least(connected, messaged))::date as month,
    count(*) as people
from dated
where connected is not null or messaged is not null
group by all
order by month, how
