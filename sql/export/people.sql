-- one row per person with everything the export formats need: merged identifiers, the
-- relationship row, the records it came from and a readable summary of the links that merged it
with links as (
    select person_id, decision, coalesce(rule, 'unnamed rule') as rule, count(*) as n
    from match_links
    where person_id is not null
    group by all
),
explained as (
    select
        person_id,
        string_agg(
            decision || ': ' || rule || ' (' || n || ' link' || if(n = 1, '', 's') || ')',
            '; '
            order by decision, n desc, rule
        ) as match_explanation
    from links
    group by person_id
),
records as (
    select
        person_id,
        list(source || ':' || source_file || '#' || source_row order by source, source_file, source_row)
            as source_records
    from person_sources
    where person_id is not null
    group by person_id
)
select
    p.person_id,
    p.display_name,
    p.first_name,
    p.last_name,
    p.emails,
    p.phones,
    p.company,
    p.title,
    p.location,
    p.linkedin_url,
    p.x_handle,
    p.x_account_id,
    p.urls,
    p.labels,
    p.sources,
    p.record_count,
    p.first_seen_at,
    p.last_seen_at,
    p.is_current,
    r.* exclude (person_id),
    coalesce(
        e.match_explanation,
        if(coalesce(p.record_count, 1) <= 1, 'single record', 'no merge links recorded')
    ) as match_explanation,
    s.source_records
from people as p
left join relationships as r using (person_id)
left join explained as e using (person_id)
left join records as s using (person_id)
order by p.display_name nulls last, p.person_id;
