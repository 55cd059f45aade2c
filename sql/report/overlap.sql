-- which of the four channel families each person is in, counted per combination
with families as (
    select
        len(list_filter(coalesce(channels, []), lambda c: starts_with(c, 'linkedin'))) > 0 as linkedin,
        len(list_filter(coalesce(channels, []), lambda c: starts_with(c, 'x_'))) > 0 as x,
        list_contains(coalesce(channels, []), 'address_book') as address_book,
        list_contains(coalesce(channels, []), 'email') as mail
    from relationships
)
select linkedin, x, address_book, mail, count(*) as people
from families
group by all
order by people desc
