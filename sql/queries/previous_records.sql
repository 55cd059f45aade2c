-- records of the files still in the ledger, to be resolved again together with new ones
select * exclude (raw), raw::varchar as raw from records;
