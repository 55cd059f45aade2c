-- records read from every export
select count(*) from records
