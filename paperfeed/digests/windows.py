"""The papers of one digest window, indexed once for every digest that shares the window.

Thousands of digests of one batch ask the same question of the same few hundred papers (which
are in these categories, by these authors, with these words); asking the database each time
costs more than the rest of a digest. The index is rebuilt whenever the window's papers change
(their count, highest id or latest ``changed_at``), so it is never stale.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet

from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory

_KEPT = 4  # windows kept (a batch has a daily and a weekly one, per time zone day)


@dataclass
class WindowIndex:
    order: list[int]  # paper ids, newest day first, then by arXiv id
    by_category: dict[str, set[int]]
    by_author: dict[str, set[int]]
    texts: dict[int, str]  # lower-case title and abstract
    _words: dict[str, set[int]] = field(default_factory=dict)

    def with_words(self, words: Iterable[str]) -> set[int]:
        """Papers whose title or abstract contains any of ``words`` (case-insensitive)."""
        found: set[int] = set()
        for word in words:
            key = word.lower()
            if key not in self._words:
                self._words[key] = {pk for pk, text in self.texts.items() if key in text}
            found |= self._words[key]
        return found

    def in_categories(self, categories: Iterable[str]) -> set[int]:
        return set().union(*(self.by_category.get(c, set()) for c in categories))

    def by_authors(self, keys: Iterable[str]) -> set[int]:
        return set().union(*(self.by_author.get(k, set()) for k in keys))


_cache: dict[tuple[object, ...], WindowIndex] = {}


def window_index(first_day: dt.date, last_day: dt.date) -> WindowIndex:
    papers = Paper.objects.filter(announced_on__gte=first_day, announced_on__lte=last_day)
    stamp = papers.aggregate(n=Count("pk"), top=Max("pk"), changed=Max("changed_at"))
    key = (first_day, last_day, stamp["n"], stamp["top"], stamp["changed"])
    if key not in _cache:
        while len(_cache) >= _KEPT:
            _cache.pop(next(iter(_cache)))
        _cache[key] = _build(papers.order_by("-announced_on", "arxiv_id"))
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
    texts = {pk: f"{title}\n{abstract}".lower() for pk, title, abstract in rows}
    return WindowIndex(ids, dict(by_category), dict(by_author), texts)
