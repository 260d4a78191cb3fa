"""The worker's steps: claim a due job with a conditional UPDATE, run it, record the run.

``handle_one_job`` is one step (tests call it); ``run_worker`` is the short loop around it
that the ``paperfeed worker`` command runs until SIGTERM. A worker claims only the kinds of its
lane (``kinds.kinds_in``): the embed lane's worker computes vectors while the main lane's runs
harvests and digests on time.

A run that had nothing to do (``JobResult.idle``: no mail waiting, no digest due) leaves no
JobRun row: its job's ``last_run_at`` and ``idle_runs`` count it instead, so the 10-second jobs do
not write 8,640 rows a day each. Failed runs and runs that did something are recorded as before.

A running job's lease is renewed every third of PAPERFEED_JOB_LEASE (``LeaseRenewal``), so a
long harvest is never taken over by a second worker while its own is alive.

A job whose upstream is unreachable (no DNS, connection refused: ``lib.http.Unreachable``) is
recorded as failed with one line, "offline: arxiv.org unreachable; next try at 21:00".
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from paperfeed.jobs.kinds import KINDS, MAIN, JobKind, kinds_in
from paperfeed.jobs.models import Job, JobRun
from paperfeed.jobs.results import JobResult
from paperfeed.lib.http import Unreachable

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _unclaimed(now: dt.datetime) -> Q:
    """Not held by a live lease, and either for any node or for this one."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return free & (Q(node="") | Q(node=settings.NODE_NAME))


def claim_due_job(worker: str, lane: str = "all") -> Job | None:
    """Take one due job of ``lane``: only the worker whose UPDATE changes the row runs it."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.JOB_LEASE)
    due = Job.objects.filter(_unclaimed(now), _of_lane(lane), next_run_at__lte=now)
    for job in due.order_by("next_run_at", "pk")[:20]:
        if claim_job(job, worker, now, lease):
            _interrupt_stale_runs(job, now)
            return job
    return None


def _of_lane(lane: str) -> Q:
    """Jobs a worker of ``lane`` runs; the main lane also takes a kind no lane knows (to fail it visibly)."""
    if lane == "all":
        return Q()
    if lane == MAIN:
        return ~Q(kind__in=[name for name in KINDS if name not in kinds_in(MAIN)])
    return Q(kind__in=kinds_in(lane))


def claim_job(job: Job, worker: str, now: dt.datetime, lease: dt.datetime) -> bool:
    """The conditional UPDATE: true only if ``job`` is still as read, and unclaimed, when it runs."""
    still_as_read = Job.objects.filter(_unclaimed(now), pk=job.pk, next_run_at=job.next_run_at)
    won = still_as_read.update(claimed_by=worker, claimed_until=lease) == 1
    if won:
        job.claimed_by, job.claimed_until = worker, lease
    return won


def _interrupt_stale_runs(job: Job, now: dt.datetime) -> None:
    """Runs left open by a worker whose lease ran out: it died or was killed."""
    JobRun.objects.filter(job=job, finished_at__isnull=True).update(
        outcome=JobRun.INTERRUPTED, finished_at=now, message="the worker's lease expired before it finished"
    )


def handle_one_job(
    worker: str,
    progress: Callable[[str], None] = log.info,
    *,
    lane: str = "all",
    stop: threading.Event | None = None,
) -> bool:
    """Run one due job of ``lane``, if any; returns whether there was one."""
    job = claim_due_job(worker, lane)
    if job is None:
        return False
    run = JobRun.objects.create(job=job, worker=worker, started_at=timezone.now())
    result = JobResult()
    try:
        with LeaseRenewal(job):
            result = _run(KINDS[job.kind], job, progress, stop or threading.Event())
    except Exception as error:  # the run is recorded as failed; the worker goes on
        offline = _unreachable(error)
        if offline is None:
            log.exception("job %s failed", job.name)
        _finish(job, run, JobResult(), JobRun.FAILED, offline or f"{type(error).__name__}: {error}")
    else:
        _finish(job, run, result, JobRun.OK, result.summary())
    if not (run.outcome == JobRun.OK and result.idle):  # a no-op run of a 10-second job says nothing
        progress(f"{job.name}: {run.outcome}: {run.message}")
    return True


class LeaseRenewal:
    """While a job runs, its lease is pushed forward every third of PAPERFEED_JOB_LEASE.

    So a harvest that runs for hours is never taken for dead and claimed by a second worker;
    a worker that dies stops renewing, and its lease runs out as before. The renewal is the same
    conditional UPDATE as the claim (this worker still holds it), on a thread with its own
    database connection.
    """

    def __init__(self, job: Job) -> None:
        self.job, self.done = job, threading.Event()
        self.thread = threading.Thread(target=self._renew, name=f"lease {job.name}", daemon=True)

    def __enter__(self) -> LeaseRenewal:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()

    def _renew(self) -> None:
        try:
            while not self.done.wait(settings.JOB_LEASE / 3):
                if not renew_lease(self.job):
                    log.warning("%s: lease lost to another worker", self.job.name)
                    return
        finally:
            connection.close()  # this thread's own connection


def renew_lease(job: Job) -> bool:
    """Push ``job``'s lease a whole PAPERFEED_JOB_LEASE forward, if its worker still holds it."""
    lease = timezone.now() + dt.timedelta(seconds=settings.JOB_LEASE)
    try:
        held = Job.objects.filter(pk=job.pk, claimed_by=job.claimed_by).update(claimed_until=lease) == 1
    except DatabaseError as error:  # the database restarted: try again at the next tick
        log.warning("%s: lease not renewed (%s)", job.name, error)
        connection.close()
        return True
    if held:
        job.claimed_until = lease
    return held


def _run(kind: JobKind, job: Job, progress: Callable[[str], None], stop: threading.Event) -> JobResult:
    result: JobResult = kind.run(job.params, progress, stop) if kind.stoppable else kind.run(job.params, progress)
    return result


def _unreachable(error: BaseException) -> str | None:
    """ "offline: HOST unreachable" when ``error`` comes from an unreachable upstream; else None."""
    seen: BaseException | None = error
    for _ in range(8):
        if isinstance(seen, Unreachable):
            return f"offline: {seen.host} unreachable"
        if seen is None:
            return None
        seen = seen.__cause__ or seen.__context__
    return None


def _finish(job: Job, run: JobRun, result: JobResult, outcome: str, message: str) -> None:
    now = timezone.now()
    if outcome == JobRun.OK:
        next_run = KINDS[job.kind].next_run_at(now)
    else:
        next_run = now + dt.timedelta(seconds=settings.JOB_RETRY_DELAY)
    if message.startswith("offline: "):
        message = f"{message}; next try at {timezone.localtime(next_run):%H:%M}"
        log.warning("%s: %s", job.name, message)
    run.finished_at, run.outcome, run.message = now, outcome, message
    run.added, run.updated, run.unchanged = result.added, result.updated, result.unchanged
    idle = outcome == JobRun.OK and result.idle
    with transaction.atomic():
        if idle:  # nothing to do: counted on the job, no row (status would drown in them)
            JobRun.objects.filter(pk=run.pk).delete()
        else:
            run.save()
        Job.objects.filter(pk=job.pk, claimed_by=job.claimed_by).update(
            next_run_at=next_run,
            claimed_by="",
            claimed_until=None,
            last_run_at=now,
            idle_runs=F("idle_runs") + 1 if idle else 0,
        )


def run_worker(
    worker: str,
    stop: threading.Event,
    once: bool = False,
    progress: Callable[[str], None] = log.info,
    lane: str = "all",
) -> None:
    """Run due jobs of ``lane`` until ``stop`` is set (SIGTERM); with ``once``, until none is due."""
    while not stop.is_set():
        try:
            worked = handle_one_job(worker, progress, lane=lane, stop=stop)
        except DatabaseError as error:  # e.g. the database restarted: reconnect and go on
            log.warning("database unavailable (%s); retrying in %s s", error, settings.WORKER_POLL)
            connection.close()
            stop.wait(settings.WORKER_POLL)
            continue
        if once and not worked:
            return
        if not worked:
            stop.wait(idle_seconds(lane))


def idle_seconds(lane: str = "all") -> float:
    """How long an idle worker sleeps: until the lane's next job is due, PAPERFEED_WORKER_POLL at most."""
    now = timezone.now()
    following = Job.objects.filter(_unclaimed(now), _of_lane(lane)).order_by("next_run_at").first()
    if following is None:
        return float(settings.WORKER_POLL)
    return max(0.0, min(float(settings.WORKER_POLL), (following.next_run_at - now).total_seconds()))
