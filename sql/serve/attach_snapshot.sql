-- {path} is a single-quoted literal built by pipelines/serve.py (ATTACH takes no parameters):
-- the path is the server's own snapshot file, <snapshot dir>/<inode>-<mtime_ns>.duckdb
attach or replace {path} as snap (read_only);
