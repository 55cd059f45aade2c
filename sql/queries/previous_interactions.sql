select * from interactions;
