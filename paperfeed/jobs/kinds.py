"""Job kinds: what a job of each kind does and when it runs next. Later issues add theirs here.

A kind is a ``JobKind`` in the plain ``KINDS`` dict; ``DEFAULT_JOBS`` are the jobs every
installation has (created by ``ensure_default_jobs``, idempotently, when the worker starts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from paperfeed.digests import jobs as digests
from paperfeed.jobs import schedules
from paperfeed.jobs.models import Job
from paperfeed.papers.sources import SOURCES, make_client
from paperfeed.papers.sources.harvest import IngestResult, Progress
from paperfeed.search import jobs as search


@dataclass(frozen=True)
class JobKind:
    run: Callable[[Mapping[str, Any], Progress], IngestResult]
    next_run_at: Callable[[dt.datetime], dt.datetime]
    # A per-node kind keeps something on the node's own disk (the search index): every node
    # gets its own job, named "NAME@NODE", that only workers on that node claim.
    per_node: bool = False


def ingest(source: str, options: Mapping[str, Any], progress: Progress) -> IngestResult:
    client = make_client()
    try:
        return SOURCES[source].run(options, client, progress)
    finally:
        client.close()


def harvest_arxiv(params: Mapping[str, Any], progress: Progress) -> IngestResult:
    """OAI-PMH for each set, from a few days back: re-reading a day changes nothing."""
    days_back = int(params.get("days_back", settings.HARVEST_DAYS_BACK))
    since = timezone.now().date() - dt.timedelta(days=days_back)
    result = IngestResult()
    for oai_set in params.get("sets") or settings.HARVEST_SETS:
        part = ingest("arxiv-oai", {"set": oai_set, "from_date": since, "metadata_prefix": "arXiv"}, progress)
        result += part
    return result


def pull_hf_daily(params: Mapping[str, Any], progress: Progress) -> IngestResult:
    return ingest("hf-daily", {"date": params.get("date")}, progress)


KINDS: dict[str, JobKind] = {
    "arxiv-harvest": JobKind(harvest_arxiv, schedules.next_harvest_at),
    "hf-pull": JobKind(pull_hf_daily, schedules.next_pull_at),
    "send-digests": JobKind(digests.send_digests, digests.next_run_at),
    "search-index": JobKind(search.index_new_papers, search.next_index_at, per_node=True),
}

# name -> (kind, params)
DEFAULT_JOBS: dict[str, tuple[str, dict[str, Any]]] = {
    "arxiv-daily-harvest": ("arxiv-harvest", {}),
    "hf-daily-pull": ("hf-pull", {}),
    "send-due-digests": ("send-digests", {}),
    "search-index": ("search-index", {}),
}


def ensure_default_jobs() -> list[str]:
    """Create the default jobs that do not exist yet (due now), this node's own included."""
    created = []
    for name, (kind, params) in DEFAULT_JOBS.items():
        node = settings.NODE_NAME if KINDS[kind].per_node else ""
        _, new = Job.objects.get_or_create(
            name=f"{name}@{node}" if node else name,
            defaults={"kind": kind, "params": params, "next_run_at": timezone.now(), "node": node},
        )
        if new:
            created.append(name)
    return created
