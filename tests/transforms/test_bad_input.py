"""Hostile values never crash the resolver; nameless or garbled records stay alone."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.transforms.resolve import Overrides, ResolveConfig, resolve
from tests.transforms.conftest import make_records

NASTY = st.one_of(
    st.none(),
    st.just(""),
    st.just("🚀🔥✨"),
    st.just("!!! ,,, ..."),
    st.text(min_size=400, max_size=600),
    st.sampled_from(["山田 太郎", "Дмитрий Иванов", "محمد علي", "Ελένη Παπαδοπούλου"]),
    st.text(max_size=30),
)
JUNK_EMAIL = st.sampled_from(["", "@", "a@", "@b.com", "a@@b", "no-at-sign", "a b@c.d"])
JUNK_PHONE = st.sampled_from(["", "+", "abc", "000", "+999999999999999999", "☎️"])

RECORD = st.fixed_dictionaries(
    {
        "full_name": NASTY,
        "first_name": NASTY,
        "last_name": NASTY,
        "company": NASTY,
        "emails": st.lists(JUNK_EMAIL, max_size=2),
        "phones": st.lists(JUNK_PHONE, max_size=2),
        "linkedin_url": st.one_of(st.none(), st.just("https://linkedin.com/in/%%%"), NASTY),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RECORD, min_size=1, max_size=6))
def test_nasty_records_never_crash_and_stay_alone(rows: list[dict[str, object]]) -> None:
    records = make_records(rows)
    previous = pl.DataFrame(schema={"record_key": pl.String, "person_id": pl.String})
    result = resolve(records, previous, Overrides(), ResolveConfig())
    assert result.assignments.height == len(rows)
    assert result.assignments["person_id"].null_count() == 0
    # e-mails and phones here are all invalid: records without a name key or a profile key
    # are always their own person
    merged = result.assignments.group_by("person_id").len().filter(pl.col("len") > 1)
    if merged.height:
        from pipelines.transforms.resolve.engine import prepare

        features = prepare(records, ResolveConfig())
        nameless = features.filter(
            pl.col("first_key").is_null()
            & pl.col("last_key").is_null()
            & pl.col("linkedin_key").is_null()
        )
        ids = result.assignments.filter(pl.col("record_id").is_in(nameless["record_id"].implode()))
        sizes = result.assignments.group_by("person_id").len()
        assert ids.join(sizes, on="person_id").filter(pl.col("len") > 1).height == 0
