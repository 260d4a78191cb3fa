"""Where digest sections come from in the rest of paperfeed: trending, saved searches, the library.

Each reads visible papers only (``visible_papers()`` is where every candidate set starts), so a
paper a moderator hid is in no digest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator

from paperfeed.accounts.models import LibraryEntry
from paperfeed.digests.windows import Window
from paperfeed.feed.trending import rank_period
from paperfeed.lib import batch
from paperfeed.papers.models import Paper
from paperfeed.search.errors import SearchError
from paperfeed.search.query import Filters
from paperfeed.search.results import find_papers

log = logging.getLogger(__name__)


_batch: dict[tuple[dt.date, dt.date, int], list[Paper]] | None = None  # trending rankings of the running batch


@contextlib.contextmanager
def one_batch() -> Iterator[None]:
    """Within a batch of digests the trending ranking is computed once: it is the same for everyone
    (and a window's papers and the vectors are checked for change at most every few seconds: lib.batch)."""
    global _batch
    _batch = {}
    try:
        with batch.one_batch():
            yield
    finally:
        _batch = None


def trending(window: Window, limit: int) -> list[Paper]:
    """The site's trending ranking (feed.trending's score) of the papers of ``window``.

    The window's papers only, like every other section: a digest's trending papers are new ones,
    and a store whose newest papers are older than the window has none to offer.
    """
    key = (window.first_day, window.last_day, limit)
    if _batch is not None and key in _batch:
        return _batch[key]
    papers = [entry.paper for entry in rank_period(window.first_day, window.last_day, limit)]
    if _batch is not None:
        _batch[key] = papers
    return papers


def saved_search(query: str, window: Window, limit: int) -> list[Paper]:
    """The site's search for ``query``, restricted to papers announced in ``window``."""
    days = Filters(date_from=window.first_day, date_to=window.last_day)
    try:
        found = find_papers(query, limit=limit, filters=days)
    except SearchError as error:  # no index yet, or a query the parser rejects
        log.warning("saved search %r skipped: %s", query, error)
        return []
    return [item.paper for item in found.found]


def saved_paper_ids(user_id: int) -> set[int]:
    """Papers in the user's library: a digest never brings what they already saved."""
    return set(LibraryEntry.objects.filter(user_id=user_id).values_list("paper_id", flat=True))
