"""Personal data stays in the database: never in logs, console, or Prefect's own store; and a
forgotten person stays forgotten across later syncs."""

from __future__ import annotations

import csv
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLE, KithRunner, cli_env, query

TRUTH = ROOT / "data" / "sample_truth.csv"


def sample_emails() -> list[str]:
    with TRUTH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    emails = [row[c] for row in rows for c in ("work_email", "personal_email")]
    return emails + ["sam.owner@example.org"]


def test_no_email_reaches_logs_console_or_prefect_store(tmp_path: Path) -> None:
    home = tmp_path / "prefect"  # a private Prefect home: everything Prefect stored is ours to scan
    env = cli_env(home, PREFECT_LOGGING_LEVEL="DEBUG")
    db = tmp_path / "kith.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "sync", str(SAMPLE), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    emails = sample_emails()
    assert (
        query(db, "select count(*) from people where len(emails) > 0")[0][0] > 20
    )  # data is there
    captured = done.stdout + done.stderr
    stored = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    for email in emails:
        assert email not in captured
        assert email.encode() not in stored, "an e-mail address reached Prefect's own files"
    for created in (db, db.with_name(f".{db.name}.lock")):
        assert stat.S_IMODE(created.stat().st_mode) == 0o600


def test_forget_deletes_everywhere_and_survives_resync(kith: KithRunner, tmp_path: Path) -> None:
    db = tmp_path / "kith.duckdb"
    inputs = tmp_path / "exports"
    shutil.copytree(SAMPLE, inputs)
    assert kith("sync", str(inputs), "--db", str(db)).returncode == 0
    # someone in mail and in an address book
    email, person_id = query(
        db,
        "select p.emails[1], p.person_id from people p join relationships r using (person_id) "
        "where r.emails_received + r.emails_sent > 0 and len(p.sources) >= 1 and len(p.emails) > 0 "
        "order by p.person_id limit 1",
    )[0]
    forgotten = kith("forget", str(email), "--db", str(db))
    assert forgotten.returncode == 0, forgotten.stderr
    assert str(email) not in forgotten.stdout

    assert _traces(db, str(person_id), str(email)) == 0
    assert query(db, "select count(*) from suppressed_identifiers")[0][0] > 0
    # the same exports again, then a newer copy of the Google export (new content hash)
    assert kith("sync", str(inputs), "--db", str(db)).returncode == 0
    google = inputs / "google_contacts.csv"
    google.write_text(google.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = kith("sync", str(inputs), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert " 1 file(s) read" in again.stdout
    assert _traces(db, str(person_id), str(email)) == 0
    assert kith("explain", str(email), "--db", str(db)).returncode == 1


def _traces(db: Path, person_id: str, email: str) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return sum(
            con.execute(sql, [value]).fetchone()[0]  # type: ignore[index]
            for sql, value in (
                ("select count(*) from people where person_id = ?", person_id),
                ("select count(*) from person_sources where person_id = ?", person_id),
                ("select count(*) from records where raw::varchar ilike '%' || ? || '%'", email),
                ("select count(*) from interactions where lower(email) = lower(?)", email),
                ("select count(*) from people where list_contains(emails, lower(?))", email),
            )
        )
    finally:
        con.close()
