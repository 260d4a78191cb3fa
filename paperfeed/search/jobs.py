"""The worker's "search-index" job: what ``paperfeed index`` does, a bounded slice at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from paperfeed.papers.sources.harvest import IngestResult
from paperfeed.search.indexing import index_papers

EVERY = dt.timedelta(minutes=10)
EMBED_PER_RUN = 2000  # about three minutes of a CPU; the rest waits for the next run


def index_new_papers(params: Mapping[str, Any], progress: Callable[[str], None]) -> IngestResult:
    report = index_papers(embed_limit=int(params.get("embed_limit", EMBED_PER_RUN)))
    progress(report.summary())
    return IngestResult(notes=[report.summary()])


def next_index_at(after: dt.datetime) -> dt.datetime:
    return after + EVERY
