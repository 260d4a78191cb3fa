"""paperfeed's own JSON Lines format, written by ``paperfeed export`` (docs/formats.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from paperfeed.lib.dates import parse_datetime, parse_day
from paperfeed.papers.codelinks import merge_links
from paperfeed.papers.formats.common import (
    Parsed,
    first_json_object,
    optional_int,
    optional_str,
    parse_json_lines,
    string_list,
)
from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, make_record

NAME = "canonical"


def looks_like(first_line: str) -> bool:
    obj = first_json_object(first_line)
    return obj is not None and "id" in obj and ("abstract" in obj or "published" in obj)


def parse(lines: Iterable[str], filename: str) -> Iterator[Parsed]:
    return parse_json_lines(lines, to_record)


def to_record(obj: dict[str, object]) -> PaperRecord:
    github_repo = optional_str(obj, "github_repo").strip()
    return make_record(
        obj.get("id"),
        obj.get("title"),
        abstract=clean_abstract(optional_str(obj, "abstract")),
        authors=string_list(obj, "authors"),
        categories=string_list(obj, "categories"),
        version=optional_int(obj, "version"),
        published=_datetime(obj, "published"),
        updated=_datetime(obj, "updated"),
        comment=optional_str(obj, "comment"),
        journal_ref=optional_str(obj, "journal_ref"),
        doi=optional_str(obj, "doi"),
        license=optional_str(obj, "license"),
        announced_on=_day(obj, "announced_on"),
        upvotes=optional_int(obj, "upvotes"),
        github_stars=optional_int(obj, "github_stars"),
        num_comments=optional_int(obj, "num_comments"),
        ai_summary=optional_str(obj, "ai_summary"),
        ai_keywords=string_list(obj, "ai_keywords"),
        hf_submitted_at=_datetime(obj, "hf_submitted_at"),
        code_links=merge_links([github_repo] if github_repo else [], string_list(obj, "code_links")),
        project_page=optional_str(obj, "project_page"),
    )


def _datetime(obj: dict[str, object], key: str) -> dt.datetime | None:
    value = optional_str(obj, key)
    if not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError as error:
        raise RecordError(f"{key}: {error}") from None


def _day(obj: dict[str, object], key: str) -> dt.date | None:
    value = optional_str(obj, key)
    if not value:
        return None
    try:
        return parse_day(value)
    except ValueError as error:
        raise RecordError(f"{key}: {error}") from None
