-- returns (uri, url, token); the server runs in background threads of this process
select * from quack_serve($uri, token => $token, allow_other_hostname => $allow_other_hostname);
