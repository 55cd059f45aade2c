"""``kith explain``: why a person is one person, from the stored links and sources.

This prints the person's own identifiers because the user asked about that person by name
or address; nothing here is logged.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from pipelines import warehouse
from pipelines.transforms.keys import identifier_key


class ExplainError(Exception):
    pass


def find_person(db: Path, identifier: str, default_region: str) -> str:
    kind, key = identifier_key(identifier, default_region)
    if key is None:
        raise ExplainError(
            f"'{identifier}' is not a person id, e-mail, LinkedIn URL, @handle or phone number"
        )
    found = warehouse.read_query(db, "queries/find_person", {"kind": kind, "key": key})
    ids = sorted(found["person_id"].to_list())
    if not ids:
        raise ExplainError(f"no person found for that {kind.replace('_', ' ')}")
    if len(ids) > 1:
        raise ExplainError(f"that {kind} belongs to {len(ids)} people: {', '.join(ids)}")
    return str(ids[0])


def _levels(details: str | None) -> list[str]:
    """One line per comparison that had data: level, weight and the compared values."""
    if not details:
        return []
    lines = []
    for field, info in json.loads(details).items():
        if not isinstance(info, dict) or info.get("level") in (None, "null"):
            continue
        values = [
            f"{name}: {pair.get('l')!r} vs {pair.get('r')!r}"
            for name, pair in info.items()
            if isinstance(pair, dict) and (pair.get("l") or pair.get("r"))
        ]
        weight = info.get("weight")
        weight_text = f" ({weight:+.1f})" if isinstance(weight, int | float) else ""
        lines.append(f"{field}: {info['level']}{weight_text}  {'; '.join(values)}")
    return lines


def explain_text(db: Path, identifier: str, default_region: str = "US") -> str:
    person_id = find_person(db, identifier, default_region)
    sources = warehouse.read_query(db, "queries/explain_person", {"person_id": person_id})
    links = warehouse.read_query(db, "queries/explain_links", {"person_id": person_id})
    head = sources.row(0, named=True)
    job = ", ".join(v for v in (head["company"], head["title"]) if v)
    out = [f"{person_id}: {head['display_name'] or '(no name)'}" + (f" ({job})" if job else "")]
    out.append(f"  {sources.height} record(s) from {sources['source'].n_unique()} source(s):")
    for row in sources.iter_rows(named=True):
        current = "" if row["is_current"] else "  [no longer in the newest export]"
        out.append(
            f"    {row['record_id']}  {row['source']:<9} {row['source_file']} row {row['source_row']}"
            f"  ({row['channel']}){current}"
        )
    merged = links.filter(pl.col("decision") != "maybe")
    # a 'maybe' pair whose records are both this person's (joined through other links) is
    # not a near-miss: only those reaching outside the person are worth a review
    inside = sources["record_id"].implode()
    maybes = links.filter(
        (pl.col("decision") == "maybe")
        & ~(pl.col("record_id_l").is_in(inside) & pl.col("record_id_r").is_in(inside))
    )
    if sources.height > 1:
        out.append("  Why these records are one person:")
        if merged.height == 0:
            out.append("    (no stored link: linked by an override)")
    for title, frame in (
        ("", merged),
        ("  Near-misses not merged (review with kith link / kith unlink):", maybes),
    ):
        if title and frame.height:
            out.append(title)
        for row in frame.iter_rows(named=True):
            out.append(
                f"    {row['record_id_l']} + {row['record_id_r']}: {row['decision']}, "
                f"score {row['score']:.1f}, rule {row['rule']}"
            )
            out += [f"        {line}" for line in _levels(row["details"])]
    return "\n".join(out) + "\n"
