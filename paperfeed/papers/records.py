"""PaperRecord: what every source and file format turns upstream data into.

Sources never write to the database themselves: they produce PaperRecords and hand them
to ``paperfeed.papers.store.upsert_records``, so every source merges the same way.
``make_record`` is the one door: it drops the characters XML cannot carry from every text
field and rejects a record whose fields are larger or stranger than real papers ever are.

The caps, with the largest values in the real data beside them (../shared/data: the Kaggle
snapshot sample and the 2026 daily listings, 125 files), and room for the outliers of the
full arXiv metadata (old abstracts longer than today's 1,920-character limit, collaboration
papers listing ~2,900 authors):

============  =========  =================================================================
field         cap        largest seen
============  =========  =================================================================
title         2,000      216 characters
abstract      20,000     2,776 characters (arXiv's form allows 1,920)
comment       5,000      398 characters
journal_ref   2,000      179 characters
ai_summary    5,000      Hugging Face's one-paragraph summaries, a few hundred characters
authors       5,000      574 names here, ~2,900 in the largest collaboration papers
author name   500        155 characters (the author table's column holds 500)
categories    30         7 (arXiv lists a paper in a handful of categories)
code links    50         a few per paper
ai_keywords   100        a dozen per paper
dates         1986-01-01 .. one year from today: the earliest arXiv metadata carries
              backdated 1986 versions; nothing is announced a year ahead
============  =========  =================================================================

A record over a cap is rejected, never cut: a cut abstract would be stored as if whole.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.lib.xmltext import xml_safe

_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[ \t]{2,}\S)")
# What the store's columns hold on every database (models.py): longer or larger values
# would make the whole batch fail on PostgreSQL instead of rejecting the one record.
_MAX_INT = 2_147_483_647
_MAX_LENGTHS = {
    "title": 2_000,
    "abstract": 20_000,
    "comment": 5_000,
    "journal_ref": 2_000,
    "ai_summary": 5_000,
    "doi": 255,
    "license": 255,
    "project_page": 500,
}
_MAX_ITEMS = {"authors": 5_000, "categories": 30, "code_links": 50, "ai_keywords": 100}
_MAX_NAME = 500
_MAX_CATEGORY = 32
_MAX_LINK = 500
EARLIEST_DAY = dt.date(1986, 1, 1)
DAYS_AHEAD = 366  # how far past today a date may lie


def last_allowed_day() -> dt.date:
    """The last day a paper's date may fall on: a year from today."""
    return timezone.now().date() + dt.timedelta(days=DAYS_AHEAD)


class RecordError(ValueError):
    """A record that cannot be stored; the message says which field and why."""


@dataclass
class PaperRecord:
    arxiv_id: str
    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    version: int | None = None
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    license: str = ""
    announced_on: dt.date | None = None
    upvotes: int | None = None
    github_stars: int | None = None
    num_comments: int | None = None
    ai_summary: str = ""
    ai_keywords: list[str] = field(default_factory=list)
    hf_submitted_at: dt.datetime | None = None
    code_links: list[str] = field(default_factory=list)
    project_page: str = ""


def clean_line(text: str | None) -> str:
    """Collapse all whitespace (hard wraps included) to single spaces."""
    return " ".join((text or "").split())


def clean_abstract(text: str | None) -> str:
    """Unwrap hard line breaks but keep paragraph breaks (blank line or indented line)."""
    paragraphs = _PARAGRAPH.split((text or "").strip())
    return "\n\n".join(p for p in (clean_line(p) for p in paragraphs) if p)


def make_record(raw_id: object, title: object, **fields: object) -> PaperRecord:
    """Validate the fields every format shares and build a PaperRecord.

    The id may carry a version (``2403.01234v2``); it is split off unless ``version`` is given.
    Characters XML cannot carry are dropped from every text field first (``xml_safe``).
    """
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise RecordError("missing id")
    if not isinstance(raw_id, str):
        raise RecordError(f"id must be a string, got {type(raw_id).__name__}")
    try:
        parsed = parse_arxiv_id(raw_id)
    except InvalidArxivId as error:
        raise RecordError(str(error)) from None
    if isinstance(title, str):
        title = clean_line(xml_safe(title))
    if not isinstance(title, str) or not title:
        raise RecordError(f"{parsed.base}: missing title")
    if fields.get("version") is None:
        fields["version"] = parsed.version
    cleaned = {name: _xml_safe_value(value) for name, value in fields.items()}
    record = PaperRecord(arxiv_id=parsed.base, title=title, **cleaned)  # type: ignore[arg-type]
    _check_record(record)
    return record


def _xml_safe_value(value: object) -> object:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [xml_safe(item) if isinstance(item, str) else item for item in value]
    return value


def _check_record(record: PaperRecord) -> None:
    for name in ("authors", "categories", "code_links", "ai_keywords"):
        values = getattr(record, name)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise RecordError(f"{record.arxiv_id}: {name} must be a list of strings")
    if record.version is not None and (not isinstance(record.version, int) or record.version < 1):
        raise RecordError(f"{record.arxiv_id}: version must be a positive integer")
    for name in ("upvotes", "github_stars", "num_comments"):
        value = getattr(record, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise RecordError(f"{record.arxiv_id}: {name} must be a non-negative integer")
    _check_storable(record)
    _check_sizes(record)
    _check_dates(record)


def _check_storable(record: PaperRecord) -> None:
    for name in ("version", "upvotes", "github_stars", "num_comments"):
        if (getattr(record, name) or 0) > _MAX_INT:
            raise RecordError(f"{record.arxiv_id}: {name} is larger than {_MAX_INT}")
    for name, limit in _MAX_LENGTHS.items():
        if len(getattr(record, name) or "") > limit:
            raise RecordError(f"{record.arxiv_id}: {name} is longer than {limit:,} characters")


def _check_sizes(record: PaperRecord) -> None:
    for name, limit in _MAX_ITEMS.items():
        if len(getattr(record, name)) > limit:
            raise RecordError(f"{record.arxiv_id}: more than {limit:,} {name}")
    for name, values, limit in (
        ("authors", record.authors, _MAX_NAME),
        ("categories", record.categories, _MAX_CATEGORY),
        ("code_links", record.code_links, _MAX_LINK),
        ("ai_keywords", record.ai_keywords, _MAX_NAME),
    ):
        if any(len(value) > limit for value in values):
            raise RecordError(f"{record.arxiv_id}: {name} must be at most {limit} characters each")


def _check_dates(record: PaperRecord) -> None:
    last = last_allowed_day()
    for name in ("published", "updated", "announced_on", "hf_submitted_at"):
        value = getattr(record, name)
        if value is None:
            continue
        if not isinstance(value, dt.date):
            raise RecordError(f"{record.arxiv_id}: {name} must be a date")
        day = value.date() if isinstance(value, dt.datetime) else value
        if not EARLIEST_DAY <= day <= last:
            raise RecordError(f"{record.arxiv_id}: {name} {day} is outside {EARLIEST_DAY} .. {last}")
