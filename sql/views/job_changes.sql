-- one row per change of company or title between two consecutive LinkedIn Connections exports
-- of the same profile (only where kith has read more than one export; older files are kept)
create or replace view job_changes as

with

records as (
    select * from records
),

source_files as (
    select * from source_files
),

person_sources as (
    select * from person_sources
),

people as (
    select * from people
),

connection_rows as (
    select
        records.record_id,
        records.file_sha256,
        regexp_extract(lower(records.linkedin_url), 'linkedin\.com/in/([^/?#]+)', 1) as profile,
        nullif(trim(records.company), '') as company,
        nullif(trim(records.title), '') as title,
        source_files.exported_at
    from records
    inner join source_files on records.file_sha256 = source_files.sha256
    where
        records.kind = 'contact'
        and records.channel = 'linkedin_connection'
        and records.linkedin_url is not null
    -- a profile listed twice in one file counts once
    qualify row_number() over (
        partition by profile, records.file_sha256 order by records.source_row
    ) = 1
),

history as (
    select
        *,
        lag(company) over by_export as previous_company,
        lag(title) over by_export as previous_title,
        lag(exported_at) over by_export as previous_exported_at,
        lag(file_sha256) over by_export as previous_file_sha256
    from connection_rows
    where profile <> ''
    window by_export as (partition by profile order by exported_at, file_sha256)
),

changes as (
    select
        -- ids
        person_sources.person_id,
        history.profile,
        -- who
        people.display_name,
        -- before and after
        history.previous_company,
        history.previous_title,
        history.company,
        history.title,
        lower(coalesce(history.previous_company, ''))
        is distinct from lower(coalesce(history.company, '')) as company_changed,
        lower(coalesce(history.previous_title, ''))
        is distinct from lower(coalesce(history.title, '')) as title_changed,
        -- timestamps
        history.previous_exported_at,
        history.exported_at
    from history
    left join person_sources on history.record_id = person_sources.record_id
    left join people on person_sources.person_id = people.person_id
    where history.previous_file_sha256 is not null
)

select * from changes
where company_changed or title_changed
order by exported_at desc, display_name, profile
