"""Lines of Kaggle's ``arxiv-metadata-oai-snapshot.json`` (the arXiv bulk metadata)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from paperfeed.lib.dates import parse_datetime
from paperfeed.papers.formats.common import Parsed, first_json_object, optional_str, parse_json_lines
from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, clean_line, make_record
from paperfeed.papers.texts import latex_to_text, split_authors

NAME = "kaggle"


def looks_like(first_line: str) -> bool:
    obj = first_json_object(first_line)
    return obj is not None and ("authors_parsed" in obj or ("versions" in obj and "submitter" in obj))


def parse(lines: Iterable[str], filename: str) -> Iterator[Parsed]:
    return parse_json_lines(lines, to_record)


def to_record(obj: dict[str, object]) -> PaperRecord:
    versions = _versions(obj.get("versions"))
    return make_record(
        obj.get("id"),
        obj.get("title"),
        abstract=clean_abstract(optional_str(obj, "abstract")),
        authors=_authors(obj),
        categories=optional_str(obj, "categories").split(),
        version=len(versions) or None,
        published=versions[0] if versions else None,
        updated=versions[-1] if len(versions) > 1 else None,
        comment=clean_line(optional_str(obj, "comments")),
        journal_ref=clean_line(optional_str(obj, "journal-ref")),
        doi=optional_str(obj, "doi").strip(),
        license=optional_str(obj, "license").strip(),
    )


def _versions(value: object) -> list[dt.datetime]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError("versions must be a list")
    dates = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("created"), str):
            raise RecordError("versions entries need a 'created' date")
        try:
            dates.append(parse_datetime(entry["created"]))
        except ValueError as error:
            raise RecordError(f"versions: {error}") from None
    return dates


def _authors(obj: dict[str, object]) -> list[str]:
    # The raw string is what arXiv shows; authors_parsed only when it is missing.
    if obj.get("authors"):
        return split_authors(optional_str(obj, "authors"))
    parsed = obj.get("authors_parsed")
    if not isinstance(parsed, list) or not all(isinstance(p, list) for p in parsed):
        return []
    names = [" ".join(str(part) for part in (p[1:2] + p[:1] + p[2:3]) if part) for p in parsed]
    return [clean_line(latex_to_text(name)) for name in names if name.strip()]
