"""Submitting a paper: signed in, not submitted before, recent enough, under the daily cap.

A paper the store lacks is fetched from arXiv by the worker, never inside the request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.lib.claims import claim_one, finish, retry_later
from paperfeed.lib.http import HttpClient
from paperfeed.lib.ratelimit import lock_key, take
from paperfeed.papers.models import Paper, Submission, SubmissionRequest
from paperfeed.papers.sources import arxiv_api, make_client
from paperfeed.papers.visible import visible_papers
from paperfeed.papers.votes import set_vote

Fetch = Callable[[str], Paper | None]
log = logging.getLogger(__name__)


class SubmitRefused(Exception):
    """The submission breaks a rule; the message says which, in words for the user."""


def fetch_from_arxiv(arxiv_id: str, client: HttpClient | None = None) -> Paper | None:
    """Fetch one paper through the arXiv API source into the store; None when arXiv has no such paper."""
    arxiv_api.run({"ids": [arxiv_id]}, client or make_client(), lambda message: None)
    return Paper.objects.filter(arxiv_id=arxiv_id).first()


def submit_paper(user: AbstractBaseUser, text: str) -> Submission | SubmissionRequest:
    """Submit the paper named by ``text`` (an id or an arXiv URL) for ``user``; SubmitRefused if not allowed.

    A paper in the store is submitted at once. One the store lacks becomes a SubmissionRequest
    that the worker completes (``handle_one_request``): no request waits on arXiv.
    """
    try:
        arxiv_id = parse_arxiv_id(text).base
    except InvalidArxivId:
        raise SubmitRefused(f"{text.strip()[:80]!r} is not an arXiv id or arXiv URL") from None
    check_daily_cap(user)
    take("submit", f"user:{user.pk}")
    paper = Paper.objects.filter(arxiv_id=arxiv_id).first()
    if paper is None:
        return request_fetch(user, arxiv_id)
    if not visible_papers().filter(pk=paper.pk).exists():
        raise SubmitRefused(f"arXiv has no paper {arxiv_id}")
    return complete(user, paper, fetched=False)


def complete(user: AbstractBaseUser, paper: Paper, fetched: bool) -> Submission:
    """The submission itself, with the submitter's upvote, once the paper is in the store."""
    check_age(paper)
    try:
        with transaction.atomic():  # the cap is counted again under the user's lock, so racing submits respect it
            lock_key("submit-cap", str(user.pk))
            check_daily_cap(user, pending=not fetched)
            submission = Submission.objects.create(
                paper=paper, user_id=user.pk, submitted_at=timezone.now(), fetched=fetched
            )
    except IntegrityError:
        raise SubmitRefused(f"{paper.arxiv_id} has already been submitted") from None
    set_vote(user, paper, on=True)
    return submission


def request_fetch(user: AbstractBaseUser, arxiv_id: str) -> SubmissionRequest:
    """Ask the worker to fetch ``arxiv_id`` and complete the submission (one waiting request per user and id)."""
    with transaction.atomic():
        lock_key("submit-cap", str(user.pk))
        check_daily_cap(user)
        waiting = SubmissionRequest.objects.filter(
            user_id=user.pk, arxiv_id=arxiv_id, state__in=[SubmissionRequest.WAITING, SubmissionRequest.FETCHING]
        ).first()
        if waiting is not None:
            return waiting
        now = timezone.now()
        return SubmissionRequest.objects.create(user_id=user.pk, arxiv_id=arxiv_id, next_try_at=now, requested_at=now)


def check_daily_cap(user: AbstractBaseUser, pending: bool = True) -> None:
    """Submissions today, and (``pending``) requests still being fetched, stay under the cap."""
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    count = Submission.objects.filter(user_id=user.pk, submitted_at__gte=start).count()
    if pending:
        in_flight = [SubmissionRequest.WAITING, SubmissionRequest.FETCHING]
        count += SubmissionRequest.objects.filter(user_id=user.pk, state__in=in_flight).count()
    if count >= settings.SUBMIT_DAILY_CAP:
        raise SubmitRefused(f"you have submitted {settings.SUBMIT_DAILY_CAP} papers today, the most allowed per day")


def check_age(paper: Paper) -> None:
    """Only papers whose day (announcement, else first version) is recent enough can be submitted."""
    day = paper.day
    oldest = timezone.now().date() - dt.timedelta(days=settings.SUBMIT_MAX_AGE_DAYS)
    if day is None or day < oldest:
        when = f"is from {day:%-d %B %Y}" if day else "has no date"
        raise SubmitRefused(
            f"{paper.arxiv_id} {when}; only papers from the last {settings.SUBMIT_MAX_AGE_DAYS} days can be submitted"
        )


# The worker's side ---------------------------------------------------------------------------

RETRIES = 3  # an unreachable arXiv is tried again this many times, a few minutes apart


def claim_request() -> SubmissionRequest | None:
    """Take one due request: only the worker that changed the row fetches it (lib/claims.py)."""
    lease = dt.timedelta(seconds=settings.JOB_LEASE)
    return claim_one(SubmissionRequest, SubmissionRequest.WAITING, SubmissionRequest.FETCHING, lease)


def handle_one_request(fetch: Fetch = fetch_from_arxiv) -> SubmissionRequest | None:
    """Fetch the paper of one due request and complete its submission; the request, or None when none is due."""
    request = claim_request()
    if request is None:
        return None
    stored = Paper.objects.filter(arxiv_id=request.arxiv_id).first()  # it may have come in meanwhile
    try:
        paper = stored or fetch(request.arxiv_id)
    except Exception as error:  # arXiv down, offline, or answering nonsense: try again later, then say so
        log.warning("fetching %s for a submission failed: %s", request.arxiv_id, error)
        return _retry_or_fail(request, f"arXiv could not be reached for {request.arxiv_id}")
    if paper is None or not visible_papers().filter(pk=paper.pk).exists():
        return finish(request, SubmissionRequest.FAILED, f"arXiv has no paper {request.arxiv_id}")
    try:
        complete(request.user, paper, fetched=stored is None)
    except SubmitRefused as refused:
        return finish(request, SubmissionRequest.FAILED, str(refused))
    return finish(request, SubmissionRequest.DONE, "")


def _retry_or_fail(request: SubmissionRequest, message: str) -> SubmissionRequest:
    if request.attempts > RETRIES:
        return finish(request, SubmissionRequest.FAILED, f"{message}; please try again later")
    return retry_later(request, SubmissionRequest.WAITING, dt.timedelta(minutes=5 * request.attempts), message)


def fetch_requested_papers(most: int = 50) -> dict[str, int]:
    """The worker's job: due requests one after another through one arXiv client (its pause holds)."""
    counts: dict[str, int] = {}
    client = make_client()
    try:
        for _ in range(most):
            done = handle_one_request(lambda arxiv_id: fetch_from_arxiv(arxiv_id, client))
            if done is None:
                break
            counts[done.state] = counts.get(done.state, 0) + 1
    finally:
        client.close()
    return counts


def recent_requests(user: AbstractBaseUser, limit: int = 10) -> list[SubmissionRequest]:
    """The user's latest requests, for the submit page."""
    return list(SubmissionRequest.objects.filter(user_id=user.pk).order_by("-requested_at", "-pk")[:limit])
