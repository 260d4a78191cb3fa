"""A running job's lease is renewed (jobs/worker.py, LeaseRenewal): a run longer than
PAPERFEED_JOB_LEASE is never taken over by a second worker while its own is alive, and a lease
taken over is not renewed by the worker that lost it. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from paperfeed.jobs import kinds
from paperfeed.jobs.models import Job, JobRun
from paperfeed.jobs.results import JobResult
from paperfeed.jobs.worker import claim_due_job, handle_one_job, renew_lease

pytestmark = pytest.mark.django_db(transaction=True)
LEASE = 1  # second: renewed every third of it


@pytest.fixture
def slow_kind(monkeypatch: pytest.MonkeyPatch, settings):  # type: ignore[no-untyped-def]
    """A job kind whose run lasts until ``release`` is set (at most 30 s), like a long harvest."""
    settings.JOB_LEASE = LEASE
    started, release = threading.Event(), threading.Event()

    def run(params: object, progress: object) -> JobResult:
        started.set()
        release.wait(30)
        return JobResult(added=1)

    monkeypatch.setitem(kinds.KINDS, "slow-test", kinds.JobKind(run, kinds.every(dt.timedelta(hours=1))))
    Job.objects.create(name="slow", kind="slow-test", params={}, next_run_at=timezone.now())
    return started, release


def test_a_run_longer_than_its_lease_is_not_taken_over(slow_kind) -> None:  # type: ignore[no-untyped-def]
    started, release = slow_kind
    outcome: list[bool] = []

    def first_worker() -> None:
        try:
            outcome.append(handle_one_job("worker-a"))
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert started.wait(30)
        deadline = time.monotonic() + 4 * LEASE  # four leases long: each would have expired unrenewed
        while time.monotonic() < deadline:
            assert claim_due_job("worker-b") is None
            time.sleep(LEASE / 4)
        assert Job.objects.get(name="slow").claimed_by == "worker-a"
    finally:
        release.set()
        thread.join(30)
    assert outcome == [True]
    job = Job.objects.get(name="slow")
    assert job.claimed_by == "" and job.claimed_until is None
    assert list(JobRun.objects.values_list("worker", "outcome")) == [("worker-a", "ok")]


def test_a_lease_taken_over_is_not_renewed_by_the_worker_that_lost_it(settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOB_LEASE = 60
    now = timezone.now()
    job = Job.objects.create(
        name="taken", kind="hf-pull", params={}, next_run_at=now, claimed_by="worker-a", claimed_until=now
    )
    Job.objects.filter(pk=job.pk).update(claimed_by="worker-b", claimed_until=now + dt.timedelta(hours=1))
    assert renew_lease(job) is False
    assert Job.objects.get(pk=job.pk).claimed_by == "worker-b"
    job.claimed_by = "worker-b"
    assert renew_lease(job) is True
    assert Job.objects.get(pk=job.pk).claimed_until > now + dt.timedelta(seconds=59)
