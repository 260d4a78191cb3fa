"""The one way papers get into the store: ``upsert_records``.

Every file format and live source hands PaperRecords to it, so they all merge by the same
rules (docs/formats.md, "How records merge"):

- a higher version replaces the content fields it carries; the same, an older or an
  unknown version only fills fields the store lacks;
- ``published`` and ``announced_on`` keep the earliest date seen;
- upvotes and GitHub stars keep the highest count seen;
- code links are the union, in the order first seen.

Writing the same records twice changes nothing. Each batch is one transaction.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from paperfeed.papers.codelinks import extract_code_links, extract_project_page, merge_links
from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory, Sighting
from paperfeed.papers.records import PaperRecord

CONTENT_FIELDS = (
    "title",
    "abstract",
    "authors",
    "categories",
    "updated",
    "comment",
    "journal_ref",
    "doi",
    "license",
    "ai_summary",
    "ai_keywords",
)
EARLIEST_FIELDS = ("published", "announced_on", "hf_submitted_at")
HIGHEST_FIELDS = ("upvotes", "github_stars", "num_comments")
STORED_FIELDS = (
    "version",
    *CONTENT_FIELDS,
    *EARLIEST_FIELDS,
    *HIGHEST_FIELDS,
    "primary_category",
    "code_links",
    "has_code",
    "project_page",
)
_RETRIES = 3


@dataclass
class UpsertResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_paper_ids: list[int] = field(default_factory=list)
    deleted: int = 0  # papers upstream deleted (OAI-PMH), taken out of every list

    def __iadd__(self, other: UpsertResult) -> Self:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        self.changed_paper_ids.extend(other.changed_paper_ids)
        return self


def upsert_records(records: Sequence[PaperRecord], source: str, seen_at: dt.datetime | None = None) -> UpsertResult:
    """Merge ``records`` into the store in one transaction, retrying a lost insert race."""
    seen_at = seen_at or timezone.now()
    for attempt in range(_RETRIES):
        try:
            with transaction.atomic():
                return _upsert_batch(records, source, seen_at)
        except IntegrityError:
            # Another process inserted one of these ids after we looked; look again.
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _upsert_batch(records: Sequence[PaperRecord], source: str, seen_at: dt.datetime) -> UpsertResult:
    ids = {record.arxiv_id for record in records}
    papers = {p.arxiv_id: p for p in Paper.objects.filter(arxiv_id__in=ids)}
    existing = set(papers)
    result, changed, touched_relations = UpsertResult(), set(), set()
    now = timezone.now()
    for record in records:
        values = stored_values(complete(record))
        paper = papers.get(record.arxiv_id)
        if paper is None:
            papers[record.arxiv_id] = Paper(arxiv_id=record.arxiv_id, changed_at=now, **values)
            result.added += 1
            touched_relations.add(record.arxiv_id)
            continue
        updates = merge(paper, values)
        if not updates:
            result.unchanged += 1
            continue
        for name, value in updates.items():
            setattr(paper, name, value)
        paper.changed_at = now
        if record.arxiv_id in existing:
            changed.add(record.arxiv_id)
        result.updated += 1
        if {"authors", "categories"} & updates.keys():
            touched_relations.add(record.arxiv_id)
    new = [papers[i] for i in papers if i not in existing]
    _insert_papers(new)
    Paper.objects.bulk_update([papers[i] for i in changed], [*STORED_FIELDS, "changed_at"], batch_size=500)
    _replace_relations(
        [papers[i] for i in touched_relations], replace=[papers[i] for i in touched_relations & existing]
    )
    _record_sightings([p.pk for p in papers.values()], source, seen_at)
    result.changed_paper_ids = sorted(p.pk for p in new) + sorted(papers[i].pk for i in changed)
    return result


def apply_deletions(deleted_ids: Iterable[str], records: Sequence[PaperRecord]) -> int:
    """Papers upstream deleted leave every list, search and feed; returns how many were stored.

    They are stamped (``deleted_upstream_at``, and ``changed_at`` so the next incremental index
    update drops them), never removed: votes, comments and libraries keep their rows. A record
    that upstream sends again (``records``) brings its paper back.
    """
    now = timezone.now()
    gone = Paper.objects.filter(arxiv_id__in=set(deleted_ids), deleted_upstream_at=None)
    count = gone.update(deleted_upstream_at=now, changed_at=now)
    back = Paper.objects.filter(arxiv_id__in={r.arxiv_id for r in records}, deleted_upstream_at__isnull=False)
    back.update(deleted_upstream_at=None, changed_at=now)
    return count


def complete(record: PaperRecord) -> PaperRecord:
    """Fill the derived fields: code links and project page found in the text."""
    record.code_links = merge_links(record.code_links, extract_code_links(record.abstract, record.comment))
    if not record.project_page:
        page = extract_project_page(record.abstract, record.comment)
        record.project_page = page if len(page) <= 500 else ""  # the column's max_length
    return record


def stored_values(record: PaperRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in ("version", *CONTENT_FIELDS, *EARLIEST_FIELDS, *HIGHEST_FIELDS)}
    values.update(
        primary_category=record.categories[0] if record.categories else "",
        code_links=record.code_links,
        has_code=bool(record.code_links),
        project_page=record.project_page,
    )
    return values


def merge(paper: Paper, values: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``paper`` that change when ``values`` (one record) is merged in."""
    newer = values["version"] is not None and (paper.version is None or values["version"] > paper.version)
    updates: dict[str, Any] = {}
    if newer:
        updates["version"] = values["version"]
    for name in CONTENT_FIELDS:
        new, old = values[name], getattr(paper, name)
        if new not in (None, "", []) and new != old and (newer or old in (None, "", [])):
            updates[name] = new
    for name in EARLIEST_FIELDS:
        new, old = values[name], getattr(paper, name)
        if new is not None and (old is None or new < old):
            updates[name] = new
    for name in HIGHEST_FIELDS:
        new, old = values[name], getattr(paper, name)
        if new is not None and (old is None or new > old):
            updates[name] = new
    _merge_derived(paper, values, updates)
    return updates


def _merge_derived(paper: Paper, values: dict[str, Any], updates: dict[str, Any]) -> None:
    if "categories" in updates:
        updates["primary_category"] = values["primary_category"]
    links = merge_links(paper.code_links, values["code_links"])
    if links != paper.code_links:
        updates["code_links"] = links
        updates["has_code"] = True
    if values["project_page"] and not paper.project_page:
        updates["project_page"] = values["project_page"]


def _record_sightings(paper_ids: list[int], source: str, seen_at: dt.datetime) -> None:
    """One Sighting per (paper, source), the first one kept (plain executemany, like the relations)."""
    table = Sighting._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (paper_id, source, first_seen_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (paper_id, source) DO NOTHING",
            [(pk, source, seen_at) for pk in paper_ids],
        )


def author_key(name: str) -> str:
    """Lower-case, accents folded, spaces collapsed: "Balázs" and "Balazs" meet."""
    if name.isascii():
        return " ".join(name.lower().split())
    folded = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).lower().split())


def _replace_relations(papers: Iterable[Paper], replace: Iterable[Paper]) -> None:
    """Rewrite the author and category rows of ``papers`` (COPY on PostgreSQL, executemany on SQLite)."""
    stale = [p.pk for p in replace]
    if stale:
        PaperAuthor.objects.filter(paper_id__in=stale).delete()
        PaperCategory.objects.filter(paper_id__in=stale).delete()
    authors, categories = [], []
    for paper in papers:
        authors += [(paper.pk, i, name[:500], author_key(name)[:500]) for i, name in enumerate(paper.authors)]
        categories += [(paper.pk, c, i == 0) for i, c in enumerate(dict.fromkeys(paper.categories))]
    _insert_rows(PaperAuthor._meta.db_table, ("paper_id", "position", "name", "name_key"), authors)
    _insert_rows(PaperCategory._meta.db_table, ("paper_id", "category", "is_primary"), categories)


def _insert_papers(papers: list[Paper]) -> None:
    """Insert new papers as plain rows (COPY on PostgreSQL), then read their ids back by arXiv id.

    Each value is prepared by its model field, as ``bulk_create`` does; what is left out is
    bulk_create's building of the SQL value by value, the largest part of an import in a profile
    of `paperfeed import` (bench/import.py prints the rates).
    """
    if not papers:
        return
    fields = [f for f in Paper._meta.concrete_fields if not f.primary_key]
    database = connections[DEFAULT_DB_ALIAS]  # the thread's connection itself: the proxy costs a lookup per value
    rows = [tuple(f.get_db_prep_save(f.pre_save(paper, True), database) for f in fields) for paper in papers]
    _insert_rows(Paper._meta.db_table, tuple(f.column for f in fields), rows)
    ids = dict(Paper.objects.filter(arxiv_id__in=[p.arxiv_id for p in papers]).values_list("arxiv_id", "pk"))
    for paper in papers:
        paper.pk = ids[paper.arxiv_id]
        paper._state.adding, paper._state.db = False, connection.alias


def _insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows``: PostgreSQL's COPY where it runs (several times executemany's speed), else executemany."""
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # psycopg's errors as Django's
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
