"""Hugging Face papers with upvotes, as whole JSON documents (not JSON Lines).

Two shapes, both pretty-printed (the first line is a lone ``{``):

- a day of Hugging Face Daily Papers archived by hf_bot
  (../shared/data/hf-daily-papers-hfbot-2026-02/dates/YYYY-MM-DD.json):
  ``{"date", "count", "papers": [{paper_id, title, authors, abstract, summary_en, github_url,
  upvotes, ...}]}``. The scraped ``abstract`` starts with the AI summary (``summary_en``), which
  is cut off and kept as ``ai_summary``; ``date`` (the HF day) becomes ``hf_submitted_at``.
- PaperExplorer's ``papers.json`` (../shared/data/hf-papers-paperexplorer-2023-2024): an object
  keyed by arXiv id, each ``{url, title, authors, abstract, publication_date, upvotes}``.

The document is read whole: these files are small (1.4 MB at most), unlike the JSON Lines formats.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator

from paperfeed.lib.dates import parse_datetime, parse_day
from paperfeed.papers.formats.common import LINE_TOO_LONG, LineTooLong, Parsed, optional_int, optional_str, string_list
from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, make_record

NAME = "hf-papers"


def looks_like(first_line: str) -> bool:
    return first_line.strip() == "{"


def parse(lines: Iterable[str], filename: str) -> Iterator[Parsed]:
    text = []
    for line in lines:
        if isinstance(line, LineTooLong):
            yield Parsed(1, error=LINE_TOO_LONG)
            return
        text.append(line)
    try:
        document = json.loads("".join(text))
    except (ValueError, RecursionError) as error:
        yield Parsed(1, error=f"broken JSON ({error})")
        return
    if not isinstance(document, dict):
        yield Parsed(1, error="expected a JSON object")
        return
    if isinstance(document.get("papers"), list):
        yield from _each(enumerate(document["papers"]), _daily_paper, "papers")
    else:
        yield from _each(document.items(), _explorer_paper, "")


def _each(items: Iterable[tuple[object, object]], convert: object, where: str) -> Iterator[Parsed]:
    for key, value in items:
        label = f"{where}[{key}]" if where else str(key)
        if not isinstance(value, dict):
            yield Parsed(1, error=f"{label}: expected a JSON object")
            continue
        try:
            yield Parsed(1, record=convert(key, value))  # type: ignore[operator]
        except RecordError as error:
            yield Parsed(1, error=f"{label}: {error}")


def _daily_paper(index: object, obj: dict[str, object]) -> PaperRecord:
    summary = optional_str(obj, "summary_en").strip()
    abstract = optional_str(obj, "abstract").strip()
    if summary and abstract.startswith(summary):
        abstract = abstract[len(summary) :]
    github = optional_str(obj, "github_url").strip()
    day = optional_str(obj, "date")
    try:
        submitted = dt.datetime.combine(parse_day(day), dt.time(), dt.UTC) if day else None
    except ValueError:
        raise RecordError(f"date: not a date: {day!r}") from None
    return make_record(
        obj.get("paper_id"),
        obj.get("title"),
        abstract=clean_abstract(abstract),
        authors=string_list(obj, "authors"),
        upvotes=optional_int(obj, "upvotes"),
        ai_summary=summary,
        hf_submitted_at=submitted,
        code_links=[github] if github else [],
    )


def _explorer_paper(arxiv_id: object, obj: dict[str, object]) -> PaperRecord:
    published = optional_str(obj, "publication_date")
    try:
        first_version = parse_datetime(published) if published else None
    except ValueError:
        raise RecordError(f"publication_date: not a timestamp: {published!r}") from None
    return make_record(
        arxiv_id,
        obj.get("title"),
        abstract=clean_abstract(optional_str(obj, "abstract")),
        authors=string_list(obj, "authors"),
        upvotes=optional_int(obj, "upvotes"),
        published=first_version,
    )
