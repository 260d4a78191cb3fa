"""The page loop every source shares: fetch a page, store it with its checkpoint, go on.

Each page's papers and the checkpoint that points past them are written in one
transaction, so a harvest killed between pages resumes at the next page (no gap) and a
page that fails to fetch or parse leaves nothing of itself behind (no partial paper).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn, Self

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from paperfeed.papers.models import HarvestCheckpoint
from paperfeed.papers.records import PaperRecord
from paperfeed.papers.store import UpsertResult, apply_deletions, upsert_records

Progress = Callable[[str], None]


@dataclass
class Page:
    """One upstream response, parsed. ``next_cursor`` None: this was the last page."""

    records: list[PaperRecord]
    next_cursor: str | None
    rejected: list[str] = field(default_factory=list)
    expected: int | None = None
    note: str = ""
    deleted: list[str] = field(default_factory=list)  # arXiv ids upstream says were deleted (OAI-PMH)


@dataclass
class IngestResult(UpsertResult):
    rejected: int = 0
    pages: int = 0
    notes: list[str] = field(default_factory=list)

    def __iadd__(self, other: UpsertResult) -> Self:
        super().__iadd__(other)
        if isinstance(other, IngestResult):
            self.rejected += other.rejected
            self.pages += other.pages
            self.notes += other.notes
        return self

    def summary(self) -> str:
        counts = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected"
        if self.deleted:
            counts += f", {self.deleted} deleted upstream"
        return "; ".join([f"{counts} ({self.pages} pages)", *self.notes])


class IngestFailed(Exception):
    """A harvest stopped on an error; the checkpoint keeps the last page that was stored."""


class CursorExpired(Exception):
    """The stored cursor is no longer valid upstream (OAI-PMH badResumptionToken)."""


FetchPage = Callable[[str], Page]
OnPage = Callable[[Page], None]


@dataclass
class Harvest:
    source: str
    key: str
    fetch: FetchPage
    progress: Progress
    on_page: OnPage | None = None
    idle_pages: int | None = None  # stop after this many pages in a row that add or change nothing
    restart: bool = False


def run_harvest(harvest: Harvest) -> IngestResult:
    """Fetch and store pages from the checkpoint's cursor until the last page."""
    checkpoint = open_checkpoint(harvest.source, harvest.key, harvest.restart)
    if checkpoint.cursor:
        harvest.progress(f"resuming {harvest.source} {harvest.key} after page {checkpoint.pages}")
    result, idle, restarted = IngestResult(), 0, False
    cursor: str | None = checkpoint.cursor
    while cursor is not None:
        try:
            page = harvest.fetch(cursor)
        except CursorExpired as error:
            if restarted or not cursor:
                _fail(checkpoint, harvest, error)
            harvest.progress(f"{error}; starting again from the first page")
            cursor, restarted = "", True
            continue
        except Exception as error:
            _fail(checkpoint, harvest, error)
        counts = _store_page(checkpoint, harvest, page)
        _add(result, counts, page)
        idle = idle + 1 if counts.added + counts.updated == 0 and page.records else 0
        cursor = page.next_cursor
        if harvest.idle_pages is not None and idle >= harvest.idle_pages and cursor is not None:
            result.notes.append(f"stopped after {idle} pages with nothing new")
            cursor = None
    _finish(checkpoint)
    return result


def _store_page(checkpoint: HarvestCheckpoint, harvest: Harvest, page: Page) -> UpsertResult:
    try:
        with transaction.atomic():
            counts = upsert_records(page.records, source=harvest.source)
            counts.deleted = apply_deletions(page.deleted, page.records)
            if harvest.on_page is not None:
                harvest.on_page(page)
            _advance(checkpoint, page, counts)
    except Exception as error:
        checkpoint.refresh_from_db()
        _fail(checkpoint, harvest, error)
    for message in page.rejected:
        harvest.progress(f"rejected: {message}")
    harvest.progress(
        f"page {checkpoint.pages}: {counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged"
    )
    return counts


def open_checkpoint(source: str, key: str, restart: bool = False) -> HarvestCheckpoint:
    """The checkpoint to continue from: an unfinished one as it is, otherwise a fresh start."""
    now = timezone.now()
    checkpoint, created = HarvestCheckpoint.objects.get_or_create(
        source=source, key=key, defaults={"started_at": now, "updated_at": now}
    )
    if not created and (restart or checkpoint.status == HarvestCheckpoint.DONE or not checkpoint.cursor):
        for name in ("pages", "added", "updated", "unchanged", "rejected"):
            setattr(checkpoint, name, 0)
        checkpoint.cursor, checkpoint.expected, checkpoint.message = "", None, ""
        checkpoint.started_at = now
    checkpoint.status, checkpoint.updated_at = HarvestCheckpoint.RUNNING, now
    checkpoint.save()
    return checkpoint


def _advance(checkpoint: HarvestCheckpoint, page: Page, counts: UpsertResult) -> None:
    checkpoint.cursor = page.next_cursor or ""
    checkpoint.pages += 1
    checkpoint.added += counts.added
    checkpoint.updated += counts.updated
    checkpoint.unchanged += counts.unchanged
    checkpoint.rejected += len(page.rejected)
    if page.expected is not None:
        checkpoint.expected = page.expected
    checkpoint.updated_at = timezone.now()
    checkpoint.save()


def _add(result: IngestResult, counts: UpsertResult, page: Page) -> None:
    result += counts
    result.rejected += len(page.rejected)
    result.pages += 1
    if page.note:
        result.notes.append(page.note)


def _finish(checkpoint: HarvestCheckpoint) -> None:
    checkpoint.status, checkpoint.cursor, checkpoint.updated_at = HarvestCheckpoint.DONE, "", timezone.now()
    checkpoint.save(update_fields=["status", "cursor", "updated_at"])


def _fail(checkpoint: HarvestCheckpoint, harvest: Harvest, error: Exception) -> NoReturn:
    where = f"after page {checkpoint.pages}" if checkpoint.pages else "on the first page"
    message = f"{harvest.source} {harvest.key}: stopped {where}: {error}"
    checkpoint.status, checkpoint.message, checkpoint.updated_at = HarvestCheckpoint.FAILED, message, timezone.now()
    checkpoint.save(update_fields=["status", "message", "updated_at"])
    raise IngestFailed(message) from error


def base_url(name: str) -> str:
    """A base URL setting (``ARXIV_OAI_URL``...) without its trailing slash."""
    value = getattr(settings, name)
    if not value:
        raise IngestFailed(f"PAPERFEED_{name} is empty")
    return str(value).rstrip("/")
