"""The worker's side of an import: queued ids fetched from the arXiv API, then saved to their libraries.

Each step claims up to a page of due ``LibraryFetch`` rows (lib/claims.py: only the worker whose
UPDATE changed a row goes on), asks the arXiv API for their ids in one ``id_list`` request
through the one client (its per-host pause holds between requests), stores the papers with the
arXiv API source's parser and upsert, and saves each paper to the library that asked for it.
An id arXiv does not answer for is ``missing``; an unreachable arXiv is tried again later.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from paperfeed.accounts.library import save_paper
from paperfeed.accounts.models import LibraryFetch
from paperfeed.lib.claims import claim_one, finish, retry_later
from paperfeed.lib.http import HttpClient
from paperfeed.papers.models import Paper
from paperfeed.papers.sources import arxiv_api, make_client
from paperfeed.papers.sources.harvest import base_url
from paperfeed.papers.store import upsert_records
from paperfeed.papers.visible import visible_papers

Fetch = Callable[[list[str]], None]
BATCH = 100  # ids in one request at most, whatever the page size: they travel in the URL
RETRIES = 5  # an unreachable arXiv is tried this many times more, 5, 10, 15... minutes apart
log = logging.getLogger(__name__)


def fetch_from_arxiv(ids: list[str], client: HttpClient) -> None:
    """Store the papers arXiv has of ``ids`` (at most a page of them): one request, one transaction."""
    params: dict[str, str | int] = {
        "search_query": "",
        "id_list": ",".join(ids),
        "start": 0,
        "max_results": settings.ARXIV_API_PAGE_SIZE,
    }
    page = arxiv_api.fetch_page(client, base_url("ARXIV_API_URL"), params)
    for message in page.rejected:
        log.info("library fetch: arXiv answered with a record that was rejected: %s", message)
    with transaction.atomic():
        upsert_records(page.records, source=arxiv_api.NAME)


def claim_batch(size: int) -> list[LibraryFetch]:
    """Up to ``size`` due rows, each taken under a lease by this worker alone."""
    lease, rows = dt.timedelta(seconds=settings.JOB_LEASE), list[LibraryFetch]()
    while len(rows) < size:
        row = claim_one(LibraryFetch, LibraryFetch.WAITING, LibraryFetch.FETCHING, lease)
        if row is None:
            break
        rows.append(row)
    return rows


def handle_one_batch(fetch: Fetch) -> list[LibraryFetch]:
    """Fetch the papers of one batch of due rows and save them; the rows as they end, [] when none is due."""
    rows = claim_batch(min(settings.ARXIV_API_PAGE_SIZE, BATCH))
    if not rows:
        return []
    ids = sorted({row.arxiv_id for row in rows})
    wanted = sorted(set(ids) - set(Paper.objects.filter(arxiv_id__in=ids).values_list("arxiv_id", flat=True)))
    unreachable = False
    if wanted:
        try:
            fetch(wanted)
        except Exception as error:  # arXiv down, offline or answering nonsense: the rows wait and try again
            log.warning("fetching %d papers for library imports failed: %s", len(wanted), error)
            unreachable = True
    papers = {paper.arxiv_id: paper for paper in visible_papers().filter(arxiv_id__in=ids)}
    return [_complete(row, papers.get(row.arxiv_id), unreachable) for row in rows]


def _complete(row: LibraryFetch, paper: Paper | None, unreachable: bool) -> LibraryFetch:
    if paper is not None:
        save_paper(row.user, paper)
        return finish(row, LibraryFetch.DONE, "")
    if unreachable:
        return _retry_or_fail(row, f"arXiv could not be reached for {row.arxiv_id}")
    return finish(row, LibraryFetch.MISSING, f"arXiv has no paper {row.arxiv_id}")


def _retry_or_fail(row: LibraryFetch, message: str) -> LibraryFetch:
    if row.attempts > RETRIES:
        return finish(row, LibraryFetch.FAILED, f"{message}; import the file again to try again")
    return retry_later(row, LibraryFetch.WAITING, dt.timedelta(minutes=5 * row.attempts), message)


def fetch_library_papers(most: int = 20) -> dict[str, int]:
    """The worker's job: up to ``most`` batches through one arXiv client; counts of the rows by how they ended."""
    counts: dict[str, int] = {}
    client = make_client()
    try:
        for _ in range(most):
            rows = handle_one_batch(lambda ids: fetch_from_arxiv(ids, client))
            if not rows:
                break
            for row in rows:
                counts[row.state] = counts.get(row.state, 0) + 1
    finally:
        client.close()
    return counts
