-- without strength scores: the people you exchanged most messages with and none in the $4 days
-- before the as-of date $1; $2: how many, $3: the fewest messages that count as a tie
with counted as (
    select
        person_id, last_interaction_at, channels,
        coalesce(emails_sent, 0) + coalesce(emails_received, 0)
        + coalesce(linkedin_messages_sent, 0) + coalesce(linkedin_messages_received, 0)
        + coalesce(x_dms_sent, 0) + coalesce(x_dms_received, 0) as messages
    from relationships
)
select
    p.display_name, p.company, c.messages, c.last_interaction_at::date as last_contact,
    date_diff('day', c.last_interaction_at::date, $1::date) as days_quiet, c.channels
from counted as c
join people as p using (person_id)
where c.messages >= $3 and c.last_interaction_at::date < $1::date - $4::integer
order by c.messages desc, c.last_interaction_at, p.display_name
limit $2
