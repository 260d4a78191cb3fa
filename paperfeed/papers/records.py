"""PaperRecord: what every source and file format turns upstream data into.

Sources never write to the database themselves: they produce PaperRecords and hand them
to ``paperfeed.papers.store.upsert_records``, so every source merges the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id

_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[ \t]{2,}\S)")
# What the store's columns hold on every database (models.py): longer or larger values
# would make the whole batch fail on PostgreSQL instead of rejecting the one record.
_MAX_INT = 2_147_483_647
_MAX_LENGTHS = {"doi": 255, "license": 255, "project_page": 500}
_MAX_CATEGORY = 32


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
    """
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise RecordError("missing id")
    if not isinstance(raw_id, str):
        raise RecordError(f"id must be a string, got {type(raw_id).__name__}")
    try:
        parsed = parse_arxiv_id(raw_id)
    except InvalidArxivId as error:
        raise RecordError(str(error)) from None
    if not isinstance(title, str) or not clean_line(title):
        raise RecordError(f"{parsed.base}: missing title")
    if fields.get("version") is None:
        fields["version"] = parsed.version
    record = PaperRecord(arxiv_id=parsed.base, title=clean_line(title), **fields)  # type: ignore[arg-type]
    _check_record(record)
    return record


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


def _check_storable(record: PaperRecord) -> None:
    for name in ("version", "upvotes", "github_stars", "num_comments"):
        if (getattr(record, name) or 0) > _MAX_INT:
            raise RecordError(f"{record.arxiv_id}: {name} is larger than {_MAX_INT}")
    for name, limit in _MAX_LENGTHS.items():
        if len(getattr(record, name) or "") > limit:
            raise RecordError(f"{record.arxiv_id}: {name} is longer than {limit} characters")
    if any(len(category) > _MAX_CATEGORY for category in record.categories):
        raise RecordError(f"{record.arxiv_id}: categories must be at most {_MAX_CATEGORY} characters each")
    for name, value in vars(record).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _is_storable_text(text):
                raise RecordError(f"{record.arxiv_id}: {name} contains a NUL or an unpaired surrogate character")


def _is_storable_text(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
