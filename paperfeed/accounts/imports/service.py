"""Importing a library: papers the store has are saved at once, the others are queued for the worker.

The web request, the API and the CLI call ``import_library``; nothing here waits on arXiv.
Everything one import writes is one transaction, so a crash leaves all of it or none, and the
writes are keyed (one library entry per paper, one ``LibraryFetch`` per account and id), so the
same file imported again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from paperfeed.accounts.imports.entries import Entry
from paperfeed.accounts.imports.formats import Reading, read_library
from paperfeed.accounts.models import LibraryEntry, LibraryFetch
from paperfeed.lib.ratelimit import lock_key, take
from paperfeed.papers.models import Paper
from paperfeed.papers.visible import visible_papers

CHUNK = 500  # ids per query (SQLite's limit on parameters is far above)
IN_FLIGHT = (LibraryFetch.WAITING, LibraryFetch.FETCHING)


@dataclass
class ImportReport:
    name: str
    format: str
    entries: int = 0
    added: list[str] = field(default_factory=list)  # saved to the library now
    already: int = 0  # in the library already, or already waiting to be fetched
    queued: list[str] = field(default_factory=list)  # waiting for the worker to fetch them from arXiv
    not_matched: list[Entry] = field(default_factory=list)
    twice: int = 0  # entries naming a paper an earlier entry of the file named

    def summary(self) -> str:
        twice = f", {self.twice} listed twice" if self.twice else ""
        return (
            f"{self.entries} entries: {len(self.added)} added, {self.already} already in your library or waiting, "
            f"{len(self.queued)} to be fetched from arXiv, {len(self.not_matched)} not matched{twice}"
        )

    def problems(self) -> list[str]:
        """``FILE:LINE: key: reason`` for each entry not matched, in file order."""
        return [entry.where(self.name) for entry in self.not_matched]


def import_library(
    user: AbstractBaseUser, name: str, data: bytes, fmt: str | None = None, rate_limit: bool = True
) -> ImportReport:
    """Read ``data`` (the file ``name``) into ``user``'s library.

    Unreadable for a file refused as a whole; RateLimited past PAPERFEED_LIBRARY_IMPORTS_PER_HOUR
    (counted before the file is read: reading is the costly part). The CLI passes ``rate_limit=False``.
    """
    if rate_limit:
        take("library-import", f"user:{user.pk}")
    return save_entries(user, read_library(name, data, fmt))


def save_entries(user: AbstractBaseUser, reading: Reading) -> ImportReport:
    report = ImportReport(reading.name, reading.format, entries=len(reading.entries))
    report.not_matched = [entry for entry in reading.entries if entry.arxiv_id is None]
    named: dict[str, Entry] = {}
    for entry in reading.entries:
        if entry.arxiv_id and entry.arxiv_id in named:
            report.twice += 1
        elif entry.arxiv_id:
            named[entry.arxiv_id] = entry
    with transaction.atomic():
        lock_key("library-fetch", str(user.pk))  # racing imports of one account count its queue in turn
        plan = _Plan.of(user, list(named))
        for entry in named.values():
            _place(plan, report, entry)
        _write(user, plan)
    report.not_matched.sort(key=lambda entry: entry.line)
    return report


@dataclass
class _Plan:
    """What the store and the account already hold for the ids of one file, and what to write."""

    stored: dict[str, Paper]
    visible: set[str]
    saved: set[str]
    fetches: dict[str, LibraryFetch]
    room: int
    to_save: list[Paper] = field(default_factory=list)
    to_queue: list[str] = field(default_factory=list)
    to_retry: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, user: AbstractBaseUser, ids: list[str]) -> _Plan:
        stored = {paper.arxiv_id: paper for chunk in _chunks(ids) for paper in Paper.objects.filter(arxiv_id__in=chunk)}
        visible = _ids(visible_papers(), "arxiv_id", ids)
        saved = _ids(LibraryEntry.objects.filter(user_id=user.pk), "paper__arxiv_id", ids)
        rows = LibraryFetch.objects.filter(user_id=user.pk)
        fetches = {row.arxiv_id: row for chunk in _chunks(ids) for row in rows.filter(arxiv_id__in=chunk)}
        room = settings.LIBRARY_FETCH_MAX_WAITING - rows.filter(state__in=IN_FLIGHT).count()
        return cls(stored, visible, saved, fetches, room)


def _ids(rows: QuerySet[Any], column: str, ids: list[str]) -> set[str]:
    """Which of ``ids`` the ``column`` of ``rows`` holds."""
    return {
        value
        for chunk in _chunks(ids)
        for value in rows.filter(**{f"{column}__in": chunk}).values_list(column, flat=True)
    }


def _place(plan: _Plan, report: ImportReport, entry: Entry) -> None:
    """Decide what becomes of one named paper: saved now, already there, queued, or not matched."""
    arxiv_id = entry.arxiv_id or ""
    fetch = plan.fetches.get(arxiv_id)
    if arxiv_id in plan.saved or (fetch is not None and fetch.state in IN_FLIGHT):
        report.already += 1
    elif arxiv_id in plan.stored:
        if arxiv_id in plan.visible:
            plan.to_save.append(plan.stored[arxiv_id])
            report.added.append(arxiv_id)
        else:
            report.not_matched.append(_unmatched(entry, f"{arxiv_id} is not available on this site"))
    elif fetch is not None and fetch.state == LibraryFetch.MISSING:
        report.not_matched.append(_unmatched(entry, fetch.message or f"arXiv has no paper {arxiv_id}"))
    elif plan.room <= 0:
        most = settings.LIBRARY_FETCH_MAX_WAITING
        reason = f"{arxiv_id} is not here yet and {most:,} papers already wait to be fetched for you"
        report.not_matched.append(_unmatched(entry, f"{reason} (the most); import the file again once they are in"))
    else:  # new, or failed (arXiv unreachable) or done before (the paper since deleted): fetch it again
        plan.room -= 1
        if fetch is None:
            plan.to_queue.append(arxiv_id)
        else:
            plan.to_retry.append(fetch.pk)
        report.queued.append(arxiv_id)


def _unmatched(entry: Entry, reason: str) -> Entry:
    return Entry(entry.line, entry.key, None, reason)


def _write(user: AbstractBaseUser, plan: _Plan) -> None:
    now = timezone.now()
    entries = [LibraryEntry(user_id=user.pk, paper=paper, added_at=now) for paper in plan.to_save]
    LibraryEntry.objects.bulk_create(entries, ignore_conflicts=True)
    fetches = [LibraryFetch(user_id=user.pk, arxiv_id=i, next_try_at=now, requested_at=now) for i in plan.to_queue]
    LibraryFetch.objects.bulk_create(fetches, ignore_conflicts=True)
    LibraryFetch.objects.filter(pk__in=plan.to_retry).update(
        state=LibraryFetch.WAITING, attempts=0, next_try_at=now, lease_until=None, message="", requested_at=now
    )


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def waiting_fetches(user: AbstractBaseUser) -> int:
    return LibraryFetch.objects.filter(user_id=user.pk, state__in=IN_FLIGHT).count()


def recent_fetches(user: AbstractBaseUser, limit: int = 100) -> list[LibraryFetch]:
    """The account's fetches, newest first: the library page's and the API's view of the queue."""
    return list(LibraryFetch.objects.filter(user_id=user.pk).order_by("-requested_at", "-pk")[:limit])
