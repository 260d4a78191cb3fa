"""A digest's window (the days whose papers are new for it) and its papers, indexed once for
every digest that shares the window.

Thousands of digests of one batch ask the same question of the same few hundred papers (which
are in these categories, by these authors, with these words); asking the database each time
costs more than the rest of a digest. The index is rebuilt whenever the window's papers change
(their count, highest id or latest ``changed_at``), so it is never stale; within a batch of
digests (``lib.batch.one_batch``) that is checked at most every few seconds.

Keywords match whole words with keyword search's analyzer (lower-cased, accents folded,
stemmed, stop words dropped): excluding "rain" leaves "Training regimes" alone, and a keyword of
several words matches them next to each other, in order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet

from paperfeed.digests.models import Subscription
from paperfeed.digests.schedule import period_length
from paperfeed.lib.batch import checked
from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory
from paperfeed.papers.visible import PAPER_DAY, on_days, visible_papers
from paperfeed.search.keyword import analyze

# Papers announced this many days before the period still count (late harvests); the record of
# what was delivered keeps them from coming twice.
GRACE_DAYS = 2


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
        """The visible papers announced in the window."""
        return visible_papers().filter(on_days(self.first_day, self.last_day))


Tokens = Sequence[str]


def paper_tokens(title: str, abstract: str) -> tuple[str, ...]:
    """A paper's title and abstract as keyword search's terms."""
    return (*analyze(title), "\n", *analyze(abstract))  # the separator keeps a phrase from spanning both


def contains(tokens: Tokens, words: Tokens) -> bool:
    """Whether ``words`` appear in ``tokens`` next to each other, in order."""
    if not words:
        return False  # a keyword of stop words only matches nothing
    first, size = words[0], len(words)
    return any(token == first and tuple(tokens[i : i + size]) == tuple(words) for i, token in enumerate(tokens))


def ids_with_words(texts: Mapping[int, Tokens], keywords: Iterable[str]) -> set[int]:
    """Ids of ``texts`` (paper id -> tokens) that contain any of ``keywords``, each matched as whole words."""
    found: set[int] = set()
    for keyword in keywords:
        words = tuple(analyze(keyword))
        found |= {pk for pk, tokens in texts.items() if contains(tokens, words)}
    return found


_KEPT = 4  # windows kept (a batch has a daily and a weekly one, per time zone day)


@dataclass
class WindowIndex:
    order: list[int]  # paper ids, newest day first, then by arXiv id
    by_category: dict[str, set[int]]
    by_author: dict[str, set[int]]
    texts: dict[int, tuple[str, ...]]  # title and abstract as keyword search's terms
    _words: dict[str, set[int]] = field(default_factory=dict)

    def with_words(self, keywords: Iterable[str]) -> set[int]:
        """Papers whose title or abstract contains any of ``keywords`` as whole words."""
        found: set[int] = set()
        for keyword in keywords:
            if keyword not in self._words:
                self._words[keyword] = ids_with_words(self.texts, [keyword])
            found |= self._words[keyword]
        return found

    def in_categories(self, categories: Iterable[str]) -> set[int]:
        return set().union(*(self.by_category.get(c, set()) for c in categories))

    def by_authors(self, keys: Iterable[str]) -> set[int]:
        return set().union(*(self.by_author.get(k, set()) for k in keys))


_cache: dict[tuple[object, ...], WindowIndex] = {}


def _stamp(first_day: dt.date, last_day: dt.date) -> tuple[object, ...]:
    """What changes when the window's papers do: their count, highest id and latest change."""
    row = Window(first_day, last_day).papers().aggregate(n=Count("pk"), top=Max("pk"), changed=Max("changed_at"))
    return (row["n"], row["top"], row["changed"])


def window_index(first_day: dt.date, last_day: dt.date) -> WindowIndex:
    key = (first_day, last_day, *checked(("window", first_day, last_day), lambda: _stamp(first_day, last_day)))
    if key not in _cache:
        while len(_cache) >= _KEPT:
            _cache.pop(next(iter(_cache)))
        papers = Window(first_day, last_day).papers()
        _cache[key] = _build(papers.annotate(its_day=PAPER_DAY).order_by("-its_day", "arxiv_id"))
    return _cache[key]


def _build(papers: QuerySet[Paper]) -> WindowIndex:
    rows = list(papers.values_list("pk", "title", "abstract"))
    ids = [pk for pk, _, _ in rows]
    by_category: defaultdict[str, set[int]] = defaultdict(set)
    for pk, category in PaperCategory.objects.filter(paper_id__in=papers.values("pk")).values_list(
        "paper_id", "category"
    ):
        by_category[category].add(pk)
    by_author: defaultdict[str, set[int]] = defaultdict(set)
    for pk, name_key in PaperAuthor.objects.filter(paper_id__in=papers.values("pk")).values_list(
        "paper_id", "name_key"
    ):
        by_author[name_key].add(pk)
    texts = {pk: paper_tokens(title, abstract) for pk, title, abstract in rows}
    return WindowIndex(ids, dict(by_category), dict(by_author), texts)
