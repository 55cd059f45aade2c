-- people in the network
select count(*) from people
