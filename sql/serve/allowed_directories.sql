-- only the private snapshot folder stays reachable, so the server can still attach new snapshots
set global allowed_directories = $directories;
