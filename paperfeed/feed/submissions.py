"""Submitting a paper: signed in, not submitted before, recent enough, under the daily cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from paperfeed.accounts.ratelimit import lock_key, take
from paperfeed.feed.models import Submission
from paperfeed.feed.votes import set_vote
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.papers.models import Paper

Fetch = Callable[[str], Paper | None]


class SubmitRefused(Exception):
    """The submission breaks a rule; the message says which, in words for the user."""


def fetch_from_arxiv(arxiv_id: str) -> Paper | None:
    """Fetch one paper through the arXiv API source into the store; None when arXiv has no such paper."""
    from paperfeed.papers.sources import arxiv_api, make_client

    arxiv_api.run({"ids": [arxiv_id]}, make_client(), lambda message: None)
    return Paper.objects.filter(arxiv_id=arxiv_id).first()


def submit_paper(user: AbstractBaseUser, text: str, fetch: Fetch = fetch_from_arxiv) -> Submission:
    """Submit the paper named by ``text`` (an id or an arXiv URL) for ``user``; SubmitRefused if not allowed."""
    try:
        arxiv_id = parse_arxiv_id(text).base
    except InvalidArxivId:
        raise SubmitRefused(f"{text.strip()[:80]!r} is not an arXiv id or arXiv URL") from None
    check_daily_cap(user)
    take("submit", f"user:{user.pk}")
    paper = find_paper(arxiv_id, fetch)
    check_age(paper)
    try:
        with transaction.atomic():  # the cap is counted again under the user's lock, so racing submits respect it
            lock_key("submit-cap", str(user.pk))
            check_daily_cap(user)
            submission = Submission.objects.create(paper=paper, user_id=user.pk, submitted_at=timezone.now())
    except IntegrityError:
        raise SubmitRefused(f"{arxiv_id} has already been submitted") from None
    set_vote(user, paper, on=True)
    return submission


def check_daily_cap(user: AbstractBaseUser) -> None:
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    if Submission.objects.filter(user_id=user.pk, submitted_at__gte=start).count() >= settings.SUBMIT_DAILY_CAP:
        raise SubmitRefused(f"you have submitted {settings.SUBMIT_DAILY_CAP} papers today, the most allowed per day")


def find_paper(arxiv_id: str, fetch: Fetch) -> Paper:
    paper = Paper.objects.filter(arxiv_id=arxiv_id).first()
    if paper is None:
        try:
            paper = fetch(arxiv_id)
        except Exception as error:  # the arXiv API is down or answered nonsense: tell the user
            raise SubmitRefused(f"could not fetch {arxiv_id} from arXiv ({type(error).__name__})") from error
    if paper is None or paper.is_hidden:
        raise SubmitRefused(f"arXiv has no paper {arxiv_id}")
    return paper


def check_age(paper: Paper) -> None:
    first_seen = paper.published or paper.created_at
    limit = dt.timedelta(days=settings.SUBMIT_MAX_AGE_DAYS)
    if timezone.now() - first_seen > limit:
        raise SubmitRefused(
            f"{paper.arxiv_id} was published {first_seen:%-d %B %Y}; "
            f"only papers from the last {settings.SUBMIT_MAX_AGE_DAYS} days can be submitted"
        )
