"""What a reader may see, and a paper's day: the start of every candidate set.

Pages, search hits, similar papers, feeds, the API, recommendations, digests and trending all
begin with ``visible_papers()``, so a moderator's hide or a ban takes effect everywhere at once.
A paper's day is ``announced_on`` (the day arXiv first listed it), else the UTC day of its first
version: ``Paper.day`` for one paper, ``PAPER_DAY`` and ``on_days`` in queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from paperfeed.papers.models import Paper, Submission, paper_day
from paperfeed.papers.records import last_allowed_day

# The paper's day as a query expression (the same rule as Paper.day; the database's time zone is UTC).
PAPER_DAY = Coalesce("announced_on", TruncDate("published"), TruncDate("hf_submitted_at"))


def banned_submissions() -> QuerySet[Submission]:
    """Submissions by banned (inactive) accounts."""
    return Submission.objects.filter(user__is_active=False)


def visible_papers() -> QuerySet[Paper]:
    """Papers a reader may see: not hidden by a moderator, not deleted upstream (OAI-PMH), and not
    brought in only by a banned account's submission."""
    brought_by_banned = banned_submissions().filter(paper=OuterRef("pk"), fetched=True)
    return Paper.objects.filter(is_hidden=False, deleted_upstream_at=None).exclude(Exists(brought_by_banned))


def on_days(start: dt.date | None, end: dt.date | None) -> Q:
    """Papers whose day is from ``start`` to ``end`` (inclusive; None leaves that end open)."""
    announced, published = Q(), Q(announced_on=None, published__isnull=False)
    featured = Q(announced_on=None, published=None, hf_submitted_at__isnull=False)
    if start is not None:
        announced &= Q(announced_on__gte=start)
        published &= Q(published__date__gte=start)
        featured &= Q(hf_submitted_at__date__gte=start)
    if end is not None:
        announced &= Q(announced_on__lte=end)
        published &= Q(published__date__lte=end)
        featured &= Q(hf_submitted_at__date__lte=end)
    if start is None and end is None:
        return Q()
    return (Q(announced_on__isnull=False) & announced) | published | featured


def latest_day() -> dt.date | None:
    """The newest day of a visible paper (its announcement, else its first version's day).

    Days past ``last_allowed_day`` (a year from today; records.py refuses them) are left out, so
    one bad row stored before that check cannot become everyone's home page."""
    last = last_allowed_day()
    newest = visible_papers().aggregate(
        by_announcement=Max("announced_on", filter=Q(announced_on__lte=last)),
        by_version=Max("published", filter=Q(announced_on=None, published__date__lte=last)),
        by_hf=Max("hf_submitted_at", filter=Q(announced_on=None, published=None, hf_submitted_at__date__lte=last)),
    )
    candidates = (
        newest["by_announcement"],
        paper_day(None, newest["by_version"]),
        paper_day(None, None, newest["by_hf"]),
    )
    days = [day for day in candidates if day is not None]
    return max(days, default=None)
