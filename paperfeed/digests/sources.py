"""Where digest sections come from in the rest of paperfeed: trending, search, the library.

Thin calls into the feed, search and accounts apps, so compose.py stays about digests.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from paperfeed.papers.models import Paper

if TYPE_CHECKING:
    from paperfeed.digests.compose import Window

log = logging.getLogger(__name__)


_batch: dict[tuple[str, int], list[Paper]] | None = None  # trending rankings of the running batch


@contextlib.contextmanager
def one_batch() -> Iterator[None]:
    """Within a batch of digests the trending ranking is computed once: it is the same for everyone."""
    global _batch
    _batch = {}
    try:
        yield
    finally:
        _batch = None


def trending(window: Window, limit: int) -> list[Paper]:
    """The site's trending ranking over the last days of ``window``."""
    from paperfeed.feed.trending import rank_trending

    span = "week" if (window.last_day - window.first_day).days > 3 else "day"
    if _batch is not None and (span, limit) in _batch:
        return _batch[(span, limit)]
    papers = [entry.paper for entry in rank_trending(span, limit=limit).entries]
    if _batch is not None:
        _batch[(span, limit)] = papers
    return papers


def saved_search(query: str, window: Window, limit: int) -> list[Paper]:
    """The site's search for ``query``, restricted to papers announced in ``window``."""
    from paperfeed.search.service import SearchError, search

    dated = f"{query} date:{window.first_day.isoformat()}..{window.last_day.isoformat()}"
    try:
        hits = search(dated, limit=limit).hits
    except (SearchError, ValueError) as error:  # no index yet, or a query the parser rejects
        log.warning("saved search %r skipped: %s", query, error)
        return []
    papers = {p.arxiv_id: p for p in Paper.objects.filter(arxiv_id__in=[h.arxiv_id for h in hits])}
    return [papers[h.arxiv_id] for h in hits if h.arxiv_id in papers]


def saved_paper_ids(user_id: int) -> set[int]:
    """Papers in the user's library: a digest never brings what they already saved."""
    from paperfeed.accounts.models import LibraryEntry

    return set(LibraryEntry.objects.filter(user_id=user_id).values_list("paper_id", flat=True))
