"""Job kinds: what a job of each kind does and when it runs next. Later issues add theirs here.

A kind is a ``JobKind`` in the plain ``KINDS`` dict; ``DEFAULT_JOBS`` are the jobs every
installation has (created by ``ensure_default_jobs``, idempotently, when the worker starts).

Each kind belongs to a lane: ``main`` (harvests, digests, mail, the keyword index) or ``embed``
(computing vectors, minutes to hours of CPU). ``paperfeed worker --lane embed`` runs the embed
lane in its own process beside ``paperfeed worker --lane main``, so embedding never delays a
digest or a harvest; a plain ``paperfeed worker`` runs both lanes, one job at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from paperfeed.accounts.imports.fetching import fetch_library_papers
from paperfeed.digests.delivery import Outcome, send_due_digests, worker_name
from paperfeed.feed.fulltexts import request_wanted
from paperfeed.feed.submissions import fetch_requested_papers
from paperfeed.jobs import schedules
from paperfeed.jobs.models import Job
from paperfeed.jobs.results import JobResult
from paperfeed.lib.mail import send_queued_mail
from paperfeed.papers.fulltext.fetching import fetch_due_full_texts
from paperfeed.papers.sources import SOURCES, make_client
from paperfeed.papers.sources.harvest import IngestResult, Progress
from paperfeed.search.embedding import model_id
from paperfeed.search.indexing import embed_for_a_while, index_papers, pending_papers

EMBED_SLICE = 120.0  # seconds of embedding per run; due again at once while papers wait
EMBED_IDLE = dt.timedelta(minutes=1)  # how often the embed lane looks for new papers when none wait
MAIN, EMBED = "main", "embed"
LANES = (MAIN, EMBED)
DIGESTS_EVERY = dt.timedelta(minutes=1)  # digests are due on the hour; a minute late at most
MAIL_EVERY = dt.timedelta(seconds=10)  # confirmations and password resets: someone is waiting for them
FULL_TEXTS_EVERY = dt.timedelta(minutes=1)  # ten papers a run at most (arXiv's 3 s pause): the lane stays free


@dataclass(frozen=True)
class JobKind:
    run: Callable[..., JobResult]  # (params, progress), and the stop event when ``stoppable``
    next_run_at: Callable[[dt.datetime], dt.datetime]
    # A per-node kind keeps something on the node's own disk (the search index): every node
    # gets its own job, named "NAME@NODE", that only workers on that node claim.
    per_node: bool = False
    lane: str = MAIN
    # Other lanes whose workers may run it too, when free: the node's index step, so that a long
    # job of one lane (a digest batch, a harvest, an embedding slice) does not hold it up.
    also: tuple[str, ...] = ()
    # A stoppable kind's run also takes the worker's stop event, and returns soon after it is set.
    stoppable: bool = False


def ingest(source: str, options: Mapping[str, Any], progress: Progress) -> IngestResult:
    client = make_client()
    try:
        return SOURCES[source].run(options, client, progress)
    finally:
        client.close()


def harvest_arxiv(params: Mapping[str, Any], progress: Progress) -> JobResult:
    """OAI-PMH for each set, from a few days back: re-reading a day changes nothing."""
    days_back = int(params.get("days_back", settings.HARVEST_DAYS_BACK))
    since = timezone.now().date() - dt.timedelta(days=days_back)
    result = IngestResult()
    for oai_set in params.get("sets") or settings.HARVEST_SETS:
        part = ingest("arxiv-oai", {"set": oai_set, "from_date": since, "metadata_prefix": "arXiv"}, progress)
        result += part
    return JobResult.of_ingest(result)


def pull_hf_daily(params: Mapping[str, Any], progress: Progress) -> JobResult:
    return JobResult.of_ingest(ingest("hf-daily", {"date": params.get("date")}, progress))


def index_new_papers(params: Mapping[str, Any], progress: Progress) -> JobResult:
    """New and changed papers into the keyword index (vectors are the embed lane's job)."""
    report = index_papers(embed=False, count=False)
    if not report.idle:  # an idle step every few seconds would fill the log
        progress(report.summary())
    return JobResult(notes=[report.summary()], idle=report.idle)


def embed_papers(params: Mapping[str, Any], progress: Progress, stop: threading.Event) -> JobResult:
    """One slice of the embed lane: pending papers, newest day first, until none wait or ``stop``."""
    done = embed_for_a_while(
        stop.is_set,
        progress,
        seconds=float(params.get("seconds", EMBED_SLICE)),
        refresh_seconds=settings.EMBED_REFRESH_SECONDS,
    )
    return JobResult(notes=[f"{done} papers embedded"], idle=done == 0)


def next_index_at(after: dt.datetime) -> dt.datetime:
    """PAPERFEED_INDEX_SECONDS later: an idle step is two index lookups, so new papers are searchable in seconds."""
    return after + dt.timedelta(seconds=settings.INDEX_SECONDS)


def next_embedding_at(after: dt.datetime) -> dt.datetime:
    """At once while papers still wait for vectors; otherwise a minute later."""
    waiting = pending_papers(model_id(settings.EMBEDDING_MODEL)).exists()
    return after if waiting else after + EMBED_IDLE


def send_digests(params: Mapping[str, Any], progress: Progress) -> JobResult:
    def report(outcome: Outcome) -> None:
        progress(f"digest {outcome.delivery.subscription.email} {outcome.delivery.period}: {outcome.state}")

    counts = send_due_digests(worker_name(), progress=report)
    return JobResult.of_counts(counts, "no digest due")


def send_mail(params: Mapping[str, Any], progress: Progress) -> JobResult:
    """The outbox: confirmations and password resets that web requests queued."""
    counts = send_queued_mail()
    return JobResult.of_counts(counts, "no mail waiting")


def fetch_submissions(params: Mapping[str, Any], progress: Progress) -> JobResult:
    """Papers people submitted that the store lacked: fetched from arXiv, then submitted."""
    counts = fetch_requested_papers()
    return JobResult.of_counts(counts, "none waiting")


def fetch_imported_papers(params: Mapping[str, Any], progress: Progress) -> JobResult:
    """Papers named by imported libraries that the store lacked: fetched from arXiv in batches, then saved."""
    counts = fetch_library_papers()
    return JobResult.of_counts(counts, "none waiting")


def fetch_full_texts(params: Mapping[str, Any], progress: Progress) -> JobResult:
    """Full texts from arXiv's HTML: papers lately upvoted, saved or trending are asked for, then due ones fetched."""
    asked = request_wanted()
    result = JobResult.of_counts(fetch_due_full_texts(), "none due")
    result.notes[:0] = [f"{asked} asked for"] if asked else []
    result.idle = result.idle and not asked
    return result


def kinds_in(lane: str) -> list[str]:
    """The kinds a worker of ``lane`` runs ("all": every kind)."""
    return [name for name, kind in KINDS.items() if lane in ("all", kind.lane, *kind.also)]


def every(interval: dt.timedelta) -> Callable[[dt.datetime], dt.datetime]:
    def next_run_at(after: dt.datetime) -> dt.datetime:
        return after + interval

    return next_run_at


KINDS: dict[str, JobKind] = {
    "arxiv-harvest": JobKind(harvest_arxiv, schedules.next_harvest_at),
    "hf-pull": JobKind(pull_hf_daily, schedules.next_pull_at),
    "send-digests": JobKind(send_digests, every(DIGESTS_EVERY)),
    "search-index": JobKind(index_new_papers, next_index_at, per_node=True, also=(EMBED,)),
    "search-embed": JobKind(embed_papers, next_embedding_at, per_node=True, lane=EMBED, stoppable=True),
    "send-mail": JobKind(send_mail, every(MAIL_EVERY)),
    "fetch-submissions": JobKind(fetch_submissions, every(MAIL_EVERY)),
    "fetch-library-papers": JobKind(fetch_imported_papers, every(MAIL_EVERY)),
    "fetch-full-texts": JobKind(fetch_full_texts, every(FULL_TEXTS_EVERY)),
}

# name -> (kind, params)
DEFAULT_JOBS: dict[str, tuple[str, dict[str, Any]]] = {
    "arxiv-daily-harvest": ("arxiv-harvest", {}),
    "hf-daily-pull": ("hf-pull", {}),
    "send-due-digests": ("send-digests", {}),
    "search-index": ("search-index", {}),
    "search-embed": ("search-embed", {}),
    "send-queued-mail": ("send-mail", {}),
    "fetch-submitted-papers": ("fetch-submissions", {}),
    "fetch-imported-papers": ("fetch-library-papers", {}),
    "fetch-full-texts": ("fetch-full-texts", {}),
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
