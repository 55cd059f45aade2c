-- {name} is a double-quoted identifier read from the snapshot's own catalog (views cannot
-- take parameters); pipelines/serve.py accepts only [A-Za-z_][A-Za-z0-9_]* names
create or replace view memory.main.{name} as select * from snap.main.{name};
