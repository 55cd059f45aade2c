"""Mangled input never makes a connector raise anything but FormatError.

Every registered connector gets every mangled file (sniff and parse, whether or not it
claims the file): truncated fixtures, random bytes, header-only files, mixed encodings,
a 10 MB single field, a ``.js`` that is not YTD, and a truncated or damaged zip.
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors import REGISTRY
from connectors._text import decode
from connectors.base import ExportFile, FormatError

FIXTURES_DIR = Path(__file__).parent.parent / "fixtures"
SEEDS = sorted(p for p in FIXTURES_DIR.rglob("*") if p.is_file() and p.stat().st_size < 200_000)
SEED_BYTES = {p: p.read_bytes() for p in SEEDS}


def run_everything(file: ExportFile) -> None:
    """Sniff and parse with every connector; only FormatError may escape."""
    try:
        head = decode(file.head())
    except (OSError, zipfile.BadZipFile, EOFError, zlib.error):
        head = ""  # the flow reports an unreadable file before any connector sees it
    for connector in REGISTRY:
        connector.sniff(file.name, head)
        try:
            result = connector.parse(file)
        except FormatError:
            continue
        for frame in (result.records, result.interactions, result.owner):
            assert frame.width > 0  # a real frame came back


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _write(workdir: Path, name: str, data: bytes) -> ExportFile:
    path = workdir / name
    path.write_bytes(data)
    return ExportFile(path)


def _mangle(data: bytes, how: str, where: float, junk: bytes) -> bytes:
    cut = int(len(data) * where)
    if how == "truncate":
        return data[:cut]
    if how == "header_only":
        return data.split(b"\n", 1)[0] + b"\n"
    if how == "splice_junk":
        return data[:cut] + junk + data[cut:]
    if how == "utf16_tail":  # a file that switches encoding half-way
        return data[:cut] + codecs.BOM_UTF16_LE + data[cut:].decode("latin-1").encode("utf-16-le")
    if how == "cp1252_tail":
        return data[:cut] + data[cut:].decode("utf-8", "replace").encode("cp1252", "replace")
    if how == "drop_newlines":
        return data.replace(b"\n", b"")
    return junk


MUTATIONS = st.sampled_from(
    [
        "truncate",
        "header_only",
        "splice_junk",
        "utf16_tail",
        "cp1252_tail",
        "drop_newlines",
        "random",
    ]
)


@settings(
    max_examples=70,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.sampled_from(SEEDS),
    how=MUTATIONS,
    where=st.floats(min_value=0.0, max_value=1.0),
    junk=st.binary(max_size=300),
)
def test_mangled_fixtures(workdir: Path, seed: Path, how: str, where: float, junk: bytes) -> None:
    run_everything(_write(workdir, seed.name, _mangle(SEED_BYTES[seed], how, where, junk)))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(["data.csv", "contacts.vcf", "x.mbox", "account.js"]), data=st.binary())
def test_random_bytes(workdir: Path, name: str, data: bytes) -> None:
    run_everything(_write(workdir, name, data))


def _huge_field_files() -> Iterator[tuple[str, bytes]]:
    big = "x" * (10 * 1024 * 1024)
    yield (
        "contacts.csv",
        (f'First Name,Middle Name,Last Name,Phonetic First Name,Notes\nA,,B,,"{big}"\n').encode(),
    )
    yield "contacts.vcf", f"BEGIN:VCARD\nVERSION:3.0\nFN:A\nNOTE:{big}\nEND:VCARD\n".encode()
    yield (
        "x.mbox",
        (
            f"From a@xxx Mon Mar 04 11:20:34 +0000 2024\nSubject: {big}\nFrom: a@example.org\n\nb\n"
        ).encode(),
    )
    yield (
        "account.js",
        (
            'window.YTD.account.part0 = [{"account": {"accountId": "1", "username": "'
            + big
            + '"}}]'
        ).encode(),
    )
    yield "email_log.csv", f"from,to,subject\na@example.org,b@example.org,{big}\n".encode()


@pytest.mark.parametrize("name_data", list(_huge_field_files()), ids=lambda nd: nd[0])
def test_ten_megabyte_single_field(workdir: Path, name_data: tuple[str, bytes]) -> None:
    run_everything(_write(workdir, *name_data))


@pytest.mark.parametrize(
    "text",
    [
        "window.YTD.account.part0 = {not json",
        'window.YTD.follower.part0 = [ {"follower": ',
        "var x = 1; // just some javascript\n",
        'window.YTD.direct_messages.part0 = [{"dmConversation": 5}]',
        "window.YTD.contact.part0 = null",
    ],
)
def test_js_that_is_not_ytd(workdir: Path, text: str) -> None:
    run_everything(_write(workdir, "account.js", text.encode()))


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "Connections.csv", SEED_BYTES[FIXTURES_DIR / "linkedin" / "Connections.csv"]
        )
        archive.writestr("contacts.vcf", SEED_BYTES[FIXTURES_DIR / "vcard" / "contacts.vcf"] * 50)
    return buffer.getvalue()


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
@pytest.mark.parametrize("member", ["Connections.csv", "contacts.vcf"])
def test_truncated_zip(workdir: Path, keep: float, member: str) -> None:
    data = _zip_bytes()
    path = workdir / "export.zip"
    path.write_bytes(data[: int(len(data) * keep)])
    run_everything(ExportFile(path, member))


@pytest.mark.parametrize("member", ["Connections.csv", "contacts.vcf"])
def test_zip_with_damaged_member_data(workdir: Path, member: str) -> None:
    data = bytearray(_zip_bytes())
    for offset in range(60, len(data) // 2, 97):  # scribble over the compressed bytes
        data[offset] ^= 0xFF
    path = workdir / "damaged.zip"
    path.write_bytes(bytes(data))
    run_everything(ExportFile(path, member))
