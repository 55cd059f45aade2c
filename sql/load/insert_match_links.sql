insert into match_links by name select * from incoming_match_links;
