"""What goes into one digest: sections of papers new in the period, none already received.

Each kind of section is a plain function in ``SECTIONS`` from (subscription, window, most
papers wanted, ids to leave out) to sections of papers, each with an optional reason.
``compose_digest`` runs the ones the subscription asked for, drops papers the subscriber
already received or saved and papers matching an excluded keyword, keeps each paper in the
first section that has it, and stops at PAPERFEED_DIGEST_MAX_PAPERS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet

from paperfeed.digests import links
from paperfeed.digests.models import DeliveredPaper, Subscription
from paperfeed.digests.schedule import period_length
from paperfeed.digests.windows import window_index
from paperfeed.papers.models import Paper
from paperfeed.papers.store import author_key

# Papers announced this many days before the period still count (late harvests); the record of
# what was delivered keeps them from coming twice.
GRACE_DAYS = 2
AUTHORS_SHOWN = 6


@dataclass(frozen=True)
class Window:
    """Papers announced from ``first_day`` to ``last_day`` (inclusive) are new for a digest."""

    first_day: dt.date
    last_day: dt.date

    @classmethod
    def ending_at(cls, subscription: Subscription, slot: dt.datetime) -> Window:
        last = slot.date()
        days = period_length(subscription).days + GRACE_DAYS
        return cls(first_day=last - dt.timedelta(days=days), last_day=last)

    def papers(self) -> QuerySet[Paper]:
        return Paper.objects.filter(announced_on__gte=self.first_day, announced_on__lte=self.last_day)


@dataclass
class Item:
    paper: Paper
    reason: str = ""

    @property
    def url(self) -> str:
        return links.paper_url(self.paper.arxiv_id)

    @property
    def authors_line(self) -> str:
        names = self.paper.authors
        return ", ".join(names[:AUTHORS_SHOWN]) + (", et al." if len(names) > AUTHORS_SHOWN else "")


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    cap: int | None = None  # at most this many items kept


# (subscription, window, most papers wanted, ids never to include) -> sections
SectionBuilder = Callable[[Subscription, Window, int, set[int]], list[Section]]
LISTED_FIELDS = ("id", "arxiv_id", "title", "authors", "announced_on")  # what the emails show


def _keyword_filter(keywords: Iterable[str]) -> Q:
    query = Q()
    for word in keywords:
        query |= Q(title__icontains=word) | Q(abstract__icontains=word)
    return query


def matching_section(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    """Papers in a followed category, by a followed author, or with a wanted keyword."""
    index = window_index(window.first_day, window.last_day)
    wanted = index.in_categories(subscription.categories)
    wanted |= index.by_authors(author_key(name) for name in subscription.authors)
    wanted |= index.with_words(subscription.include_keywords)
    wanted -= index.with_words(subscription.exclude_keywords) | excluded
    ids = [pk for pk in index.order if pk in wanted][:limit]
    papers = Paper.objects.only(*LISTED_FIELDS).in_bulk(ids)
    return [Section("New in what you follow", [Item(papers[pk]) for pk in ids if pk in papers])]


def trending_section(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    from paperfeed.digests.sources import trending

    if not subscription.trending_count:
        return []
    count = subscription.trending_count
    return [Section("Trending", [Item(p) for p in trending(window, count * 2 + 10)], cap=count)]


def saved_search_sections(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    from paperfeed.digests.sources import saved_search

    return [
        Section(f"Saved search: {query}", [Item(p) for p in saved_search(query, window, limit)])
        for query in subscription.saved_searches
    ]


def recommendation_section(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    if not subscription.recommendations or subscription.user is None:
        return []
    from paperfeed.recs.service import recommend  # numpy and scikit-learn load only when needed

    recs = recommend(subscription.user, limit=limit * 2, candidates=window.papers())
    return [Section("Recommended for you", [Item(r.paper, r.why) for r in recs])]


SECTIONS: dict[str, SectionBuilder] = {
    "recommendations": recommendation_section,
    "matching": matching_section,
    "saved-searches": saved_search_sections,
    "trending": trending_section,
}


def excluded_ids(subscription: Subscription) -> set[int]:
    """Papers this subscriber already received, or saved in their library."""
    ids = set(DeliveredPaper.objects.filter(subscription=subscription).values_list("paper_id", flat=True))
    if subscription.user_id:
        from paperfeed.digests.sources import saved_paper_ids

        ids |= saved_paper_ids(subscription.user_id)
    return ids


def _with_excluded_words(items: list[Item], words: list[str]) -> set[int]:
    """Ids among ``items`` whose title or abstract has one of ``words`` (one query)."""
    if not words or not items:
        return set()
    ids = [item.paper.pk for item in items]
    return set(Paper.objects.filter(_keyword_filter(words), pk__in=ids).values_list("pk", flat=True))


def compose_digest(subscription: Subscription, slot: dt.datetime) -> list[Section]:
    """The sections of the digest for the period ending at ``slot``, empty ones left out."""
    window = Window.ending_at(subscription, slot)
    limit = settings.DIGEST_MAX_PAPERS
    seen = excluded_ids(subscription)
    sections: list[Section] = []
    for build in SECTIONS.values():
        for section in build(subscription, window, limit, seen):
            kept: list[Item] = []
            unwanted = _with_excluded_words(section.items, subscription.exclude_keywords)
            for item in section.items:
                if item.paper.pk in seen or item.paper.pk in unwanted:
                    continue
                if section.cap is not None and len(kept) >= section.cap:
                    break
                seen.add(item.paper.pk)
                kept.append(item)
                limit -= 1
                if limit == 0:
                    break
            if kept:
                sections.append(Section(section.title, kept))
            if limit == 0:
                return sections
    return sections
