-- distinct messages per month and channel (bulk mail left out); $1, $2: plausible date range
select
    channel,
    date_trunc('month', occurred_at)::date as month,
    count(distinct coalesce(message_id, source_file || '#' || coalesce(source_row, 0))) as messages
from interactions
where occurred_at::date between $1 and $2 and not coalesce(is_bulk, false)
group by all
order by month, channel
