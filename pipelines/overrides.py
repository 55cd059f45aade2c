"""The overrides file: hand-made identity decisions that every run obeys.

Default path ``data/overrides.tsv`` (gitignored: it names real people). A plain text file,
one decision per line, fields separated by a TAB (or, when a line has no TAB, by spaces),
``#`` starts a comment::

    must_link	jane.doe@example.org	https://www.linkedin.com/in/jane-doe
    cannot_link	p_3f2a9c0d1e4b	@jdoe_other
    strength	jane.doe@example.org	0.9

An identifier is an e-mail address, a LinkedIn profile URL, an X handle (``@name``) or
profile URL, a phone number, or a person id (``p_`` + 12 hex) from an earlier run. The
resolver matches identifiers through the same normalised keys as records (so case, gmail
dots and phone formatting do not matter). ``strength`` sets a person's relationship
strength (read by the relationships stage). Lines are only ever appended, so the file
diffs cleanly in git; files are created with mode 0600.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.transforms.resolve import Overrides

DEFAULT_PATH = Path("data/overrides.tsv")
HEADER = (
    "# kith overrides: must_link|cannot_link <id> <id>, strength <id> <value>\n"
    "# ids: e-mail, LinkedIn URL, @handle or x.com URL, phone, person id (p_...)\n"
)


class OverridesError(ValueError):
    """A line that is not one of the three decision kinds (the message gives the line)."""


def _fields(line: str) -> list[str]:
    if "\t" in line:
        return [part.strip() for part in line.split("\t") if part.strip()]
    return line.split()


def parse_overrides(text: str) -> Overrides:
    """Parse the file's text; raises OverridesError naming the bad line number."""
    must: list[tuple[str, str]] = []
    cannot: list[tuple[str, str]] = []
    strength: list[tuple[str, float]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        fields = _fields(line)
        kind = fields[0].lower()
        if kind in ("must_link", "cannot_link") and len(fields) == 3:
            (must if kind == "must_link" else cannot).append((fields[1], fields[2]))
        elif kind == "strength" and len(fields) == 3:
            try:
                strength.append((fields[1], float(fields[2])))
            except ValueError:
                raise OverridesError(f"line {number}: strength value is not a number") from None
        else:
            raise OverridesError(
                f"line {number}: expected 'must_link|cannot_link <id> <id>' or "
                f"'strength <id> <value>' ({len(fields)} fields found)"
            )
    return Overrides(must_link=tuple(must), cannot_link=tuple(cannot), strength=tuple(strength))


def load_overrides(path: Path | str = DEFAULT_PATH) -> Overrides:
    """The decisions in ``path``; a missing file means no overrides."""
    file = Path(path)
    if not file.exists():
        return Overrides()
    return parse_overrides(file.read_text(encoding="utf-8"))


def _append(path: Path | str, line: str) -> None:
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    new = not file.exists()
    descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        if new:
            handle.write(HEADER)
        handle.write(line + "\n")


def _check(identifier: str) -> str:
    value = identifier.strip()
    if not value or any(c in value for c in "\t\n\r#"):
        raise OverridesError("identifier is empty or holds a tab, newline or '#'")
    return value


def append_link(path: Path | str, a: str, b: str, must: bool) -> None:
    """Append one must-link (``must=True``) or cannot-link decision."""
    kind = "must_link" if must else "cannot_link"
    _append(path, f"{kind}\t{_check(a)}\t{_check(b)}")


def append_strength(path: Path | str, identifier: str, value: float) -> None:
    """Append a per-person strength override (the last one for a person wins)."""
    _append(path, f"strength\t{_check(identifier)}\t{float(value)}")
