"""arXiv's own ``.abs`` metadata files: header lines, then the abstract between ``\\\\`` lines.

One record per file. The first ``Date:`` line is version 1; each ``Date (revised vN):``
line adds a version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from paperfeed.lib.dates import parse_datetime
from paperfeed.papers.formats.common import LINE_TOO_LONG, MAX_LINE_CHARS, LineTooLong, Parsed
from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, clean_line, make_record
from paperfeed.papers.texts import split_authors

NAME = "abs"
_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z -]*?(?: \([^)]*\))?):\s?(?P<value>.*)$")
_DATE = re.compile(r"^(?P<when>.*?)\s*(?:\(\d+kb\)|\(\d+ ?kb,?[^)]*\))?\s*$", re.IGNORECASE)


def looks_like(first_line: str) -> bool:
    stripped = first_line.strip()
    return stripped.startswith("-----") or stripped == "\\\\" or stripped.startswith("arXiv:")


def parse(lines: Iterable[str], filename: str) -> Iterator[Parsed]:
    try:
        yield Parsed(1, record=to_record(_whole_file(lines)))
    except RecordError as error:
        yield Parsed(1, error=str(error))


def _whole_file(lines: Iterable[str]) -> str:
    """The file's text; a file larger than one JSON line may be is not a record (and is not read on)."""
    kept, size = [], 0
    for line in lines:
        if isinstance(line, LineTooLong):
            raise RecordError(LINE_TOO_LONG)
        size += len(line)
        if size > MAX_LINE_CHARS:
            raise RecordError(f"the file is longer than {MAX_LINE_CHARS:,} characters")
        kept.append(line)
    return "".join(kept)


def to_record(text: str) -> PaperRecord:
    if not text.strip():
        raise RecordError("empty file")
    sections = re.split(r"^\\\\[ \t]*$", text, flags=re.MULTILINE)
    if len(sections) < 3:
        raise RecordError("not an .abs record: expected header and abstract between '\\\\' lines")
    headers = _headers(sections[1])
    dates = _dates(headers.get("dates", []))
    return make_record(
        _one(headers, "arxiv"),
        _one(headers, "title"),
        abstract=clean_abstract(sections[2]),
        authors=split_authors(_one(headers, "authors") or ""),
        categories=(_one(headers, "categories") or "").split(),
        version=len(dates) or None,
        published=dates[0] if dates else None,
        updated=dates[-1] if len(dates) > 1 else None,
        comment=clean_line(_one(headers, "comments")),
        journal_ref=clean_line(_one(headers, "journal-ref")),
        doi=clean_line(_one(headers, "doi")),
        license=clean_line(_one(headers, "license")),
    )


def _headers(block: str) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in block.splitlines():
        if not line.strip():
            continue
        match = _HEADER.match(line)
        if line[:1].isspace() and last is not None:
            last[-1] += " " + line.strip()
            continue
        if match is None:
            continue
        key = match["key"].lower()
        key = "dates" if key == "date" or key.startswith("date (") else key
        last = headers.setdefault(key, [])
        last.append(match["value"].strip())
    return headers


def _one(headers: dict[str, list[str]], key: str) -> str | None:
    values = headers.get(key)
    return values[0] if values else None


def _dates(values: list[str]) -> list[dt.datetime]:
    dates = []
    for value in values:
        match = _DATE.match(value)
        when = match["when"] if match else value
        try:
            dates.append(parse_datetime(when))
        except ValueError as error:
            raise RecordError(f"Date: {error}") from None
    return dates
