"""The full-text queue: a ``FullText`` row per paper, fetched by the worker, never in a request.

``request_full_text`` is the one way in: a conditional insert (one row per paper, a unique
constraint), or a conditional update when a newer version of a fetched paper appeared; a web
request may call it (``bounded``: nothing past ``QUEUE_MAX`` waiting rows). The worker's
``fetch-full-texts`` job calls ``fetch_due_full_texts``: rows claimed with a conditional UPDATE
(``lib/claims.py``), each page fetched through the one HTTP client (arXiv's pause, the size cap
``PAPERFEED_FULLTEXT_MAX_BYTES``), converted in a bounded child process and stored whole, in one
UPDATE. Running it again changes nothing: fetched and no-html rows are not due.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from paperfeed.lib.claims import claim_one
from paperfeed.lib.http import HttpClient, HttpError, ResponseTooLarge
from paperfeed.papers.fulltext.convert import ConversionError, cap, convert_bounded
from paperfeed.papers.models import FullText, Paper
from paperfeed.papers.sources import make_client

log = logging.getLogger(__name__)

QUEUE_MAX = 500  # waiting rows past which opening a paper asks for nothing more
RETRIES = 4  # fetches that fail (arXiv down, offline) before a row is given up
RETRY_AFTER = dt.timedelta(minutes=30)  # doubled after each failure
PER_RUN = 10  # papers one run of the job fetches (3 s apart on arXiv: about half a minute)


def html_url(paper: Paper) -> str:
    """arXiv's HTML rendering of the paper's latest known version."""
    version = f"v{paper.version}" if paper.version else ""
    return f"{(settings.ARXIV_HTML_URL or '').rstrip('/')}/{paper.arxiv_id}{version}"


def request_full_text(paper: Paper, reason: str, *, bounded: bool = False) -> bool:
    """Ask the worker for ``paper``'s full text; whether a row was written. Idempotent."""
    now = timezone.now()
    row = FullText.objects.filter(paper=paper).values_list("state", "version").first()
    if row is None:
        if bounded and FullText.objects.filter(state=FullText.WAITING).count() >= QUEUE_MAX:
            return False
        fresh = FullText(paper=paper, reason=reason, requested_at=now, next_try_at=now)
        return bool(FullText.objects.bulk_create([fresh], ignore_conflicts=True))
    state, version = row
    if state not in (FullText.FETCHED, FullText.NO_HTML) or not paper.version or (version or 0) >= paper.version:
        return False
    newer = FullText.objects.filter(paper=paper, state=state, version=version)  # a newer version came out
    return newer.update(state=FullText.WAITING, next_try_at=now, attempts=0, reason=reason) == 1


def request_many(papers: list[Paper], reason: str) -> int:
    """Rows for those of ``papers`` that have none yet (the job's own discovery); how many were asked for."""
    have = set(FullText.objects.filter(paper__in=papers).values_list("paper_id", flat=True))
    now = timezone.now()
    fresh = [
        FullText(paper=paper, reason=reason, requested_at=now, next_try_at=now)
        for paper in papers
        if paper.pk not in have
    ]
    FullText.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def claim_due() -> FullText | None:
    """One due row (waiting, failed and due again, or left by a worker that died), now ours."""
    lease = dt.timedelta(seconds=settings.JOB_LEASE)
    waiting = claim_one(FullText, FullText.WAITING, FullText.FETCHING, lease)
    return waiting or claim_one(FullText, FullText.FAILED, FullText.FETCHING, lease)


def handle_one(client: HttpClient) -> FullText | None:
    """Fetch and convert one due paper; the row as it ends, or None when none is due."""
    row = claim_due()
    if row is None:
        return None
    url = html_url(row.paper)
    try:
        response = client.get(url, accept=(200, 404), max_bytes=settings.FULLTEXT_MAX_BYTES)
    except HttpError as error:  # a page over the cap would be as large next time: not tried again
        log.warning("fetching the full text of %s failed: %s", row.paper.arxiv_id, error)
        retry = row.attempts < RETRIES and not isinstance(error, ResponseTooLarge)
        return _finish(row, FullText.FAILED, message=str(error), retry=retry)
    if response.status_code == 404:
        return _finish(row, FullText.NO_HTML, source_url=url)
    try:
        markdown = cap(convert_bounded(response.content, str(response.url)))
    except ConversionError as error:  # the same page fails the same way: not tried again
        return _finish(row, FullText.FAILED, message=str(error), retry=False)
    return _finish(row, FullText.FETCHED, source_url=str(response.url), markdown=markdown)


def _finish(row: FullText, state: str, *, retry: bool = False, **fields: str) -> FullText:
    """Record how the fetch ended in one UPDATE, only while the row is still ours (same attempt)."""
    now = timezone.now()
    later = now + RETRY_AFTER * 2 ** max(0, row.attempts - 1) if retry else None
    done = {"fetched_at": now, "version": row.paper.version} if state != FullText.FAILED else {}
    FullText.objects.filter(pk=row.pk, state=FullText.FETCHING, attempts=row.attempts).update(
        state=state, next_try_at=later, lease_until=None, message=fields.pop("message", ""), **done, **fields
    )
    row.refresh_from_db()
    return row


def fetch_due_full_texts(most: int = PER_RUN, client: HttpClient | None = None) -> dict[str, int]:
    """The worker's job: up to ``most`` due papers, one after another through one client (its pause holds)."""
    counts: dict[str, int] = {}
    http = client or make_client()
    try:
        for _ in range(most):
            row = handle_one(http)
            if row is None:
                break
            counts[row.state] = counts.get(row.state, 0) + 1
    finally:
        if client is None:
            http.close()
    return counts
