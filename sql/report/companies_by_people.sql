-- people per company spelling (the report folds 'Acme, Inc.' and 'ACME Inc' together)
select trim(company) as company, count(*) as people
from people
where nullif(trim(company), '') is not null
group by all
