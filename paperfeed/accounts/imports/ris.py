"""RIS (Zotero, EndNote, Mendeley, JabRef, DBLP, publishers' sites).

Records run from ``TY  -`` to ``ER  -``; the split into records (and their line numbers) is
done here, each record's tags are read by rispy. Lines between records (EndNote's "Record #1
of 2") are skipped; a record cut off by the end of the file, or by the next ``TY``, still counts.
The id comes from ``UR``, ``DO`` (``10.48550/arXiv.ID``), then any tag (``N1  - arXiv:ID``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import rispy

from paperfeed.accounts.imports.entries import Entry, all_strings, named
from paperfeed.accounts.imports.ids import first_id

NAME = "ris"
EXTENSIONS: tuple[str, ...] = (".ris",)
LOOKED_IN = "UR, DO and every other tag"
_START = re.compile(r"^TY  -", re.MULTILINE)
_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  -")


def looks_like(text: str) -> bool:
    return _START.search(text) is not None


def read(text: str) -> Iterator[Entry]:
    for line, lines in records(text.split("\n")):
        yield _entry(line, lines)


def records(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines from TY to ER) of each record."""
    start, record = 0, list[str]()
    for number, line in enumerate(lines, start=1):
        tag = _TAG.match(line)
        if tag and tag["tag"] == "TY":
            if record:
                yield start, record
            start, record = number, [line]
        elif record:
            record.append(line)
            if tag and tag["tag"] == "ER":
                yield start, record
                record = []
    if record:
        yield start, record


def _entry(line: int, lines: list[str]) -> Entry:
    if not lines[-1].startswith("ER  -"):
        lines = [*lines, "ER  - "]
    try:
        parsed = rispy.loads("\n".join(lines))
    except Exception as error:  # rispy on hostile input: the record is reported, the others are read
        return Entry(line, "", None, f"malformed record: {error}")
    fields = parsed[0] if parsed else {}
    key = str(fields.get("id") or fields.get("title") or fields.get("primary_title") or "")
    return named(line, key, arxiv_id(fields), LOOKED_IN)


def arxiv_id(fields: dict[str, Any]) -> str | None:
    preferred = [fields.get("urls"), fields.get("doi"), fields.get("url")]
    return first_id(all_strings(preferred)) or first_id(all_strings(fields.values()))
