-- {name}: as in create_view.sql
drop view if exists memory.main.{name};
