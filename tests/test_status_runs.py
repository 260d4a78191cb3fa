"""Runs that had nothing to do (the 10-second jobs, mostly) leave no JobRun row: the job counts
them, and `paperfeed status` shows per kind when it last ran and its last run that did something."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from paperfeed.jobs.models import Job, JobRun
from paperfeed.jobs.results import JobResult
from paperfeed.jobs.worker import handle_one_job
from paperfeed.lib.mail import queue_mail

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC)
TICK = dt.timedelta(seconds=10)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mail_job(frozen) -> Job:  # type: ignore[no-untyped-def]
    return Job.objects.create(name="send-queued-mail", kind="send-mail", next_run_at=NOW)


def run_due(frozen, times: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        assert handle_one_job("worker-1", progress=lambda message: None)
        frozen.shift(TICK)


def status() -> str:
    out = StringIO()
    call_command("status", stdout=out)
    return out.getvalue()


def by_kind(text: str) -> str:
    return text.split("by kind")[1].split("recent runs:")[0]


def test_a_run_with_nothing_to_do_leaves_no_row_and_is_counted_on_its_job(frozen, mail_job) -> None:  # type: ignore[no-untyped-def]
    run_due(frozen, 3)
    assert not JobRun.objects.exists()
    mail_job.refresh_from_db()
    assert (mail_job.idle_runs, mail_job.last_run_at) == (3, NOW + 2 * TICK)
    assert (mail_job.claimed_by, mail_job.next_run_at) == ("", NOW + 3 * TICK)  # still released and rescheduled


def test_a_run_that_did_something_is_recorded_and_starts_the_count_again(frozen, mail_job, smtp_server) -> None:  # type: ignore[no-untyped-def]
    run_due(frozen, 2)
    assert queue_mail("test", "alice@example.org", "Hello", "Hi there")
    run_due(frozen, 1)
    [run] = JobRun.objects.all()
    assert (run.outcome, run.message, run.started_at) == ("ok", "1 sent", NOW + 2 * TICK)
    mail_job.refresh_from_db()
    assert mail_job.idle_runs == 0 and len(smtp_server.messages) == 1


def test_a_failed_run_is_always_recorded(frozen) -> None:  # type: ignore[no-untyped-def]
    Job.objects.create(name="broken", kind="no-such-kind", next_run_at=NOW)
    run_due(frozen, 1)
    assert JobRun.objects.get().outcome == JobRun.FAILED


def test_status_shows_each_kinds_last_run_and_last_run_that_did_something(frozen, mail_job, smtp_server) -> None:  # type: ignore[no-untyped-def]
    assert queue_mail("test", "alice@example.org", "Hello", "Hi there")
    run_due(frozen, 1)
    run_due(frozen, 360)  # an hour of 10-second runs with no mail waiting
    Job.objects.create(name="send-due-digests", kind="send-digests", next_run_at=NOW + dt.timedelta(days=1))
    text = status()
    kinds = by_kind(text)
    assert (
        "  send-mail: last ran 2026-02-03 10:00:00, 360 runs with nothing to do since; last that did something: "
        "send-queued-mail 2026-02-03 09:00:00 -> 2026-02-03 09:00:00 ok: 0 added, 0 updated, 0 unchanged (1 sent)\n"
    ) in kinds
    assert "  send-digests: never ran; none did anything yet\n" in kinds
    recent = text.split("recent runs:")[1].split("checkpoints:")[0].strip().splitlines()
    assert len(recent) == 1  # not crowded by the 360 runs that found nothing


@pytest.mark.parametrize(
    ("counts", "idle"), [({}, True), ({"sent": 0}, True), ({"sent": 2}, False), ({"retry": 1}, False)]
)
def test_counts_with_nothing_in_them_make_an_idle_result(counts: dict[str, int], idle: bool) -> None:
    result = JobResult.of_counts(counts, "no mail waiting")
    assert result.idle is idle
    assert result.summary() == ("no mail waiting" if idle else ", ".join(f"{n} {s}" for s, n in counts.items()))


@pytest.mark.django_db(transaction=True)
def test_upgrading_drops_the_rows_that_earlier_idle_runs_left_and_keeps_the_rest() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):  # type: ignore[no-untyped-def]
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    old = migrate([("jobs", "0003_move_harvestcheckpoint_to_papers")])
    job = old.get_model("jobs", "Job").objects.create(name="send-queued-mail", kind="send-mail", next_run_at=NOW)
    make = old.get_model("jobs", "JobRun").objects.create
    for message in ("no mail waiting", "no mail waiting", "keyword index updated: 0 papers written; 0 embedded"):
        make(job=job, worker="w", started_at=NOW, finished_at=NOW, outcome="ok", message=message)
    make(job=job, worker="w", started_at=NOW, finished_at=NOW, outcome="ok", message="2 sent")
    make(job=job, worker="w", started_at=NOW, finished_at=NOW, outcome="failed", message="no mail waiting")
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert sorted(JobRun.objects.values_list("outcome", "message")) == [("failed", "no mail waiting"), ("ok", "2 sent")]
