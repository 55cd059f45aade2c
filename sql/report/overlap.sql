-- which of the four channel families each person is in, counted per combination
-- (address-book channels are 'address_book' or, from newer kith, 'address_book:google' etc.)
with families as (
    select
        len(list_filter(coalesce(channels, []), lambda c: starts_with(c, 'linkedin'))) > 0 as linkedin,
        len(list_filter(coalesce(channels, []), lambda c: starts_with(c, 'x_'))) > 0 as x,
        len(list_filter(coalesce(channels, []), lambda c: starts_with(c, 'address_book'))) > 0
            as address_book,
        list_contains(coalesce(channels, []), 'email') as mail
    from relationships
)
select linkedin, x, address_book, mail, count(*) as people
from families
group by all
order by people desc
