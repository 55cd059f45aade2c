-- the date kith's strength scores were computed for
select max(as_of)::date from relationships
