delete from interactions;
insert into interactions by name select * from incoming_interactions;
