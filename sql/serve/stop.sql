select * from quack_stop($uri);
