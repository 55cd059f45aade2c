-- messages (one row per message and participant) and the distinct messages among them
select count(*), count(distinct message_id) from interactions
