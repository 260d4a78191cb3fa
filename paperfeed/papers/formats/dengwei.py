"""Daily arXiv "new" listings as JSON Lines (../shared/data/arxiv-cs-daily-2026-dengwei).

Fields: ``id``, ``categories``, ``pdf``, ``abs``, ``authors``, ``title``, ``comment``,
``summary``. The announcement day is the file name's ``YYYY-MM-DD``; the de-duplicated
file instead carries ``first_seen`` per line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from paperfeed.lib.dates import day_in_filename, parse_day
from paperfeed.papers.formats.common import (
    Parsed,
    first_json_object,
    optional_str,
    parse_json_lines,
    string_list,
)
from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, make_record

NAME = "daily-listing"


def looks_like(first_line: str) -> bool:
    obj = first_json_object(first_line)
    return obj is not None and "summary" in obj and ("abs" in obj or "pdf" in obj)


def parse(lines: Iterable[str], filename: str) -> Iterator[Parsed]:
    file_day = day_in_filename(filename.rsplit("/", 1)[-1])

    def convert(obj: dict[str, object]) -> PaperRecord:
        first_seen = optional_str(obj, "first_seen")
        try:
            announced_on = parse_day(first_seen) if first_seen else file_day
        except ValueError:
            raise RecordError(f"first_seen: not a date: {first_seen!r}") from None
        return make_record(
            obj.get("id"),
            obj.get("title"),
            abstract=clean_abstract(optional_str(obj, "summary")),
            authors=string_list(obj, "authors"),
            categories=string_list(obj, "categories"),
            comment=optional_str(obj, "comment").strip(),
            announced_on=announced_on,
        )

    return parse_json_lines(lines, convert)
