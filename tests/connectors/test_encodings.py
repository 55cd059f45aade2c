"""Every text encoding and line ending an export arrives in gives the same records."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from connectors._text import decode
from connectors.base import Connector, ExportFile
from connectors.google import GoogleContactsCsv, GoogleLegacyCsv
from connectors.outlook import OutlookDesktopCsv, OutlookWebCsv
from connectors.vcard import VCardFile

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "cp1252": lambda text: text.encode("cp1252"),
}
NEWLINES = {"lf": "\n", "crlf": "\r\n"}
RAW_NOTE = {
    "google": '"two\\nlines"',
    "google_legacy": '"two\\nlines"',
    "outlook_desktop": '"two\\nlines"',
    "outlook_web": '"two\\nlines"',
    "vcard": '"two\\\\nlines"',
}

# (connector, file text with \n line ends); every case holds the same person
CASES: dict[str, tuple[Connector, str]] = {
    "google": (
        GoogleContactsCsv(),
        "First Name,Middle Name,Last Name,Phonetic First Name,Organization Name,"
        "Notes,E-mail 1 - Value\n"
        'Zoë,,Ångström,,Café Müller,"two\nlines",zoe@example.org\n',
    ),
    "google_legacy": (
        GoogleLegacyCsv(),
        "Name,Given Name,Additional Name,Family Name,Organization 1 - Name,Notes,"
        "E-mail 1 - Value\n"
        'Zoë Ångström,Zoë,,Ångström,Café Müller,"two\nlines",zoe@example.org\n',
    ),
    "outlook_desktop": (
        OutlookDesktopCsv(),
        '"Title","First Name","Middle Name","Last Name","Suffix","Company","Notes",'
        '"E-mail Address"\n'
        '"","Zoë","","Ångström","","Café Müller","two\nlines","zoe@example.org"\n',
    ),
    "outlook_web": (
        OutlookWebCsv(),
        "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Company,Notes,"
        "E-mail Address\n"
        'Zoë,,Ångström,,,,,Café Müller,"two\nlines",zoe@example.org\n',
    ),
    "vcard": (
        VCardFile(),
        "BEGIN:VCARD\nVERSION:3.0\nN:Ångström;Zoë;;;\nFN:Zoë Ångström\nORG:Café Müller;\n"
        "NOTE:two\\nlines\nEMAIL:zoe@example.org\nEND:VCARD\n",
    ),
}


@pytest.mark.parametrize("newline", NEWLINES)
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case", CASES)
def test_same_records_in_every_encoding(
    case: str, encoding: str, newline: str, tmp_path: Path
) -> None:
    connector, text = CASES[case]
    path = tmp_path / "export.csv"
    path.write_bytes(ENCODINGS[encoding](text.replace("\n", NEWLINES[newline])))
    file = ExportFile(path)
    assert connector.sniff(file.name, decode(file.head()))
    records = connector.parse(file).records
    assert records.select("first_name", "last_name", "company", "emails").rows() == [
        ("Zoë", "Ångström", "Café Müller", ["zoe@example.org"])
    ]
    # the note's line break survives in raw (vCard keeps its value as written: '\n' escape)
    assert RAW_NOTE[case] in records["raw"][0]


def test_decode_order() -> None:
    assert decode(codecs.BOM_UTF8 + "é".encode()) == "é"
    assert decode("é\r\n".encode("utf-16")) == "é\n"
    assert decode("é".encode()) == "é"
    assert decode("é;\n".encode("cp1252")) == "é;\n"  # not valid UTF-8: cp1252
    # a sniffing window may end inside a multi-byte character: not a reason for cp1252
    assert decode("Zoë".encode()[:-1]) == "Zo"
