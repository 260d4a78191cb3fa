"""How far semantic search is: papers searchable by meaning, of how many, and about how long is left.

The rate comes from the stored vectors' ``computed_at`` stamps of the last few minutes (what the
embedding lane actually did), so it needs no state of its own and reads the same on every node.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone

from paperfeed.papers.visible import visible_papers
from paperfeed.search.embedding import model_id
from paperfeed.search.indexing import pending_papers
from paperfeed.search.models import PaperVector

RATE_WINDOW = dt.timedelta(minutes=5)  # vectors computed this recently give the rate
STALLED_AFTER = dt.timedelta(minutes=2)  # no vector for this long: embedding is not running


@dataclass(frozen=True)
class EmbeddingProgress:
    searchable: int
    total: int
    per_second: float | None  # None: no recent vectors to tell the rate from
    started: bool = False  # vectors came in the last STALLED_AFTER, too few yet to tell a rate

    @property
    def pending(self) -> int:
        return self.total - self.searchable

    @property
    def seconds_left(self) -> float | None:
        if not self.pending:
            return 0.0
        return self.pending / self.per_second if self.per_second else None

    def line(self) -> str:
        """ "12,345 of 27,081 searchable by meaning, about 14 minutes left"."""
        if not self.pending:
            return f"all {self.total:,} papers searchable by meaning"
        head = f"{self.searchable:,} of {self.total:,} searchable by meaning"
        left = self.seconds_left
        if left is None and self.started:
            return f"{head}; embedding has started, time left known in a minute"
        if left is None:
            return f"{head}; embedding is not running"
        return f"{head}, about {_duration(left)} left"

    def as_dict(self) -> dict[str, object]:
        left = self.seconds_left
        return {
            "searchable": self.searchable,
            "total": self.total,
            "papers_per_second": round(self.per_second, 2) if self.per_second else None,
            "seconds_left": None if left is None else round(left),
            "summary": self.line(),
        }


def _duration(seconds: float) -> str:
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return "a minute"
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{minutes / 60:.1f} hours"


def embedding_progress(now: dt.datetime | None = None) -> EmbeddingProgress:
    """Visible papers with a current vector of the configured model, of all visible papers, and the rate."""
    now = now or timezone.now()
    model = model_id(settings.EMBEDDING_MODEL)
    visible = visible_papers()
    total = visible.count()
    searchable = total - pending_papers(model).filter(pk__in=visible.values("pk")).count()
    rate = recent_rate(model, now)
    started = rate is None and PaperVector.objects.filter(model_id=model, computed_at__gte=now - STALLED_AFTER).exists()
    return EmbeddingProgress(searchable, total, rate, started)


def recent_rate(model: str, now: dt.datetime) -> float | None:
    """Papers per second over the vectors computed in the last RATE_WINDOW; None when embedding stalled.

    A batch's vectors share one stamp, so the first batch of the window only marks its start.
    """
    recent = PaperVector.objects.filter(model_id=model, computed_at__gte=now - RATE_WINDOW, computed_at__lte=now)
    figures = recent.aggregate(n=Count("pk"), first=Min("computed_at"), last=Max("computed_at"))
    if not figures["n"] or now - figures["last"] > STALLED_AFTER:
        return None
    span = (figures["last"] - figures["first"]).total_seconds()
    if span < 1:
        return None
    first_batch = recent.filter(computed_at=figures["first"]).count()
    return float((figures["n"] - first_batch) / span)
