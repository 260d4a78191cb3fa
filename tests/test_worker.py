"""The worker: claiming due jobs with a conditional UPDATE, leases, runs, schedules, SIGTERM."""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from paperfeed.jobs import schedules
from paperfeed.jobs import worker as worker_module
from paperfeed.jobs.kinds import DEFAULT_JOBS, ensure_default_jobs
from paperfeed.jobs.models import Job, JobRun
from paperfeed.jobs.worker import claim_due_job, claim_job, handle_one_job, run_worker
from tests.conftest import race, run_cli
from tests.hf_fixtures import daily_papers_json
from tests.upstream_server import Reply, Request, oai_error, serve_hf

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC)
NOTHING_NEW = Reply(oai_error("noRecordsMatch", "The combination of the values results in an empty list."))


def make_job(name="hf", kind="hf-pull", params=None, due=NOW, **fields) -> Job:
    return Job.objects.create(name=name, kind=kind, params=params or {"date": "2026-02-02"}, next_run_at=due, **fields)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hf(upstream):
    upstream.route("/hfapi/daily_papers", serve_hf())
    return upstream


def test_a_due_job_is_run_and_its_run_recorded_with_what_it_added(hf, frozen, settings):
    job = make_job()
    assert handle_one_job("worker-1", progress=lambda message: None)
    run = JobRun.objects.get(job=job)
    assert (run.outcome, run.worker, run.started_at, run.finished_at) == ("ok", "worker-1", NOW, NOW)
    assert run.added == len({item["paper"]["id"] for item in json.loads(daily_papers_json("2026-02-02"))})
    assert "added" in run.message
    job.refresh_from_db()
    assert job.next_run_at == NOW + dt.timedelta(seconds=settings.HF_PULL_INTERVAL)
    assert (job.claimed_by, job.claimed_until) == ("", None)


def test_with_nothing_due_the_step_does_nothing(hf, frozen):
    make_job(due=NOW + dt.timedelta(minutes=1))
    assert not handle_one_job("worker-1")
    assert not JobRun.objects.exists()
    assert not hf.requests


def test_a_failed_job_is_recorded_with_its_error_and_tried_again_later(upstream, frozen, settings):
    settings.HTTP_RETRIES = 0
    upstream.route("/hfapi/daily_papers", Reply(b"down", 500))
    job = make_job()
    assert handle_one_job("worker-1")
    run = JobRun.objects.get(job=job)
    assert run.outcome == "failed"
    assert "HTTP 500" in run.message
    job.refresh_from_db()
    assert job.next_run_at == NOW + dt.timedelta(seconds=settings.JOB_RETRY_DELAY)
    assert job.claimed_by == ""


def test_a_job_of_an_unknown_kind_fails_without_stopping_the_worker(frozen):
    make_job(kind="no-such-kind")
    assert handle_one_job("worker-1")
    assert JobRun.objects.get().outcome == "failed"


def test_a_job_claimed_by_a_live_worker_is_left_alone(frozen):
    make_job(claimed_by="other", claimed_until=NOW + dt.timedelta(minutes=5))
    assert claim_due_job("worker-1") is None


def test_a_job_whose_lease_ran_out_is_taken_over_and_the_dead_run_marked_interrupted(frozen):
    job = make_job(claimed_by="dead", claimed_until=NOW - dt.timedelta(seconds=1))
    JobRun.objects.create(job=job, worker="dead", started_at=NOW - dt.timedelta(hours=2))
    claimed = claim_due_job("worker-1")
    assert claimed is not None and claimed.pk == job.pk
    job.refresh_from_db()
    assert job.claimed_by == "worker-1"
    assert job.claimed_until > NOW
    stale = JobRun.objects.get(worker="dead")
    assert (stale.outcome, stale.finished_at) == ("interrupted", NOW)


def test_the_harvest_job_asks_for_each_set_from_a_few_days_back(upstream, frozen, settings):
    settings.HARVEST_SETS, settings.HARVEST_DAYS_BACK = ["cs", "math"], 3
    upstream.route("/oai", NOTHING_NEW)
    make_job(name="arxiv", kind="arxiv-harvest", params={})
    assert handle_one_job("worker-1")
    assert [(r.params["set"], r.params["from"], r.params["metadataPrefix"]) for r in upstream.requests] == [
        ("cs", "2026-01-31", "arXiv"),
        ("math", "2026-01-31", "arXiv"),
    ]
    assert JobRun.objects.get().outcome == "ok"


def test_default_jobs_are_created_once(settings):
    settings.NODE_NAME = "node-a"
    assert ensure_default_jobs() == list(DEFAULT_JOBS)
    assert ensure_default_jobs() == []
    names = set(DEFAULT_JOBS) - {"search-index", "search-embed"} | {"search-index@node-a", "search-embed@node-a"}
    assert set(Job.objects.values_list("name", flat=True)) == names
    assert Job.objects.get(name="search-index@node-a").node == "node-a"


def test_each_node_keeps_its_own_index_job_and_only_its_workers_claim_it(settings, frozen):
    settings.NODE_NAME = "node-a"
    ensure_default_jobs()
    settings.NODE_NAME = "node-b"
    ensure_default_jobs()
    Job.objects.exclude(kind="search-index").delete()
    from paperfeed.jobs.worker import claim_due_job

    claimed = claim_due_job("worker-on-b")
    assert claimed is not None and claimed.name == "search-index@node-b"
    assert claim_due_job("another-worker-on-b") is None  # node-a's job is not ours to take
    settings.NODE_NAME = "node-a"
    other = claim_due_job("worker-on-a")
    assert other is not None and other.name == "search-index@node-a"


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("2026-02-05T19:00:00-05:00", "2026-02-05T20:30:00-05:00"),  # Thursday before the announcement
        ("2026-02-05T21:00:00-05:00", "2026-02-08T20:30:00-05:00"),  # Thursday after it: next is Sunday
        ("2026-02-07T12:00:00-05:00", "2026-02-08T20:30:00-05:00"),  # Saturday
        ("2026-03-08T12:00:00-04:00", "2026-03-08T20:30:00-04:00"),  # the day clocks move forward
    ],
)
def test_the_harvest_runs_after_the_announcement_on_announcement_days(after, expected):
    assert schedules.next_harvest_at(dt.datetime.fromisoformat(after)) == dt.datetime.fromisoformat(expected)


def test_a_bad_harvest_time_is_refused_with_the_setting_name(settings):
    settings.HARVEST_TIME = "8pm"
    with pytest.raises(schedules.ScheduleError, match="PAPERFEED_HARVEST_TIME"):
        schedules.next_harvest_at(NOW)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_job_never_both_claim_it():
    rounds, winners = 8, []
    for number in range(rounds):
        job = Job.objects.create(name=f"race-{number}", kind="hf-pull", next_run_at=timezone.now())
        claims = race(lambda n: claim_due_job(f"w{n + 1}"), 2)
        assert not [c for c in claims if isinstance(c, BaseException)], claims
        won = [c for c in claims if c is not None]
        assert len(claims) == 2
        assert len(won) == 1, f"round {number}: {len(won)} workers claimed the job"
        job.refresh_from_db()
        assert job.claimed_by == won[0].claimed_by  # type: ignore[attr-defined]
        Job.objects.filter(pk=job.pk).update(next_run_at=timezone.now() + dt.timedelta(days=1))
        winners.append(job.claimed_by)
    assert len(winners) == rounds


@pytest.mark.django_db(transaction=True)
def test_of_two_workers_that_read_the_same_due_job_only_one_claims_it():
    Job.objects.create(name="race", kind="hf-pull", next_run_at=timezone.now())
    jobs, now = [Job.objects.get(name="race") for _ in range(2)], timezone.now()  # both read it unclaimed
    results = race(lambda n: claim_job(jobs[n], f"w{n + 1}", now, now + dt.timedelta(hours=1)), 2)
    assert all(isinstance(won, bool) for won in results), results
    assert sorted(results) == [False, True]
    winner = f"w{results.index(True) + 1}"
    assert Job.objects.get(name="race").claimed_by == winner


def worker_process(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    script = str(Path(sys.executable).with_name("paperfeed"))
    return subprocess.Popen(
        [script, "worker", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def meet(count: int, timeout: float):
    """A route wrapper: the first ``count`` requests wait for each other (up to ``timeout``)."""
    arrived, everyone = [], threading.Event()
    lock = threading.Lock()

    def wrap(reply: Reply):
        def answer(request: Request) -> Reply:
            with lock:
                arrived.append(request)
                if len(arrived) >= count:
                    everyone.set()
            everyone.wait(timeout)
            return reply

        return answer

    return wrap


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_run_each_due_job_exactly_once(upstream, cli_env):
    env = {**cli_env, **upstream.env()}
    assert run_cli(env, "migrate", "--no-input", "-v", "0").returncode == 0
    together = meet(2, timeout=20)  # both workers are inside a job at the same time
    upstream.route("/oai", together(NOTHING_NEW))
    upstream.route("/hfapi/daily_papers", together(Reply(b"[]")))
    workers = [worker_process(env, "--once") for _ in range(2)]
    for worker in workers:
        worker.wait(120)
        assert worker.returncode == 0, worker.stderr.read()  # type: ignore[union-attr]
    status = run_cli(env, "status").stdout
    by_kind = status.split("by kind")[1].split("recent runs:")[0]
    recorded = [
        line.split()[0].split("@")[0] for line in status.split("recent runs:")[1].splitlines() if " ok: " in line
    ]
    for name, (kind, _) in DEFAULT_JOBS.items():  # one job of each kind
        idle = re.search(rf"^  {kind}: last ran [^,;]*(?:, (\d+) runs? with nothing to do since)?;", by_kind, re.M)
        assert idle, (kind, by_kind)
        assert recorded.count(name) + int(idle.group(1) or 0) == 1, (name, status)  # idle runs are only counted
    assert len(upstream.hits("/oai")) == 1
    assert len(upstream.hits("/hfapi/daily_papers")) == 1


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_current_job_finish_then_the_worker_exits(upstream, cli_env):
    env = {**cli_env, **upstream.env(), "PAPERFEED_WORKER_POLL": "0.2"}
    assert run_cli(env, "migrate", "--no-input", "-v", "0").returncode == 0
    release = threading.Event()
    held = Reply(NOTHING_NEW.body, hold=release)
    upstream.route("/oai", held)
    upstream.route("/hfapi/daily_papers", Reply(b"[]"))
    worker = worker_process(env)
    try:
        while not upstream.waiting.wait(0.2):
            assert worker.poll() is None, worker.communicate()[1][-2000:]
        worker.send_signal(signal.SIGTERM)
    finally:
        release.set()
    _, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0, stderr
    assert "SIGTERM" in stderr
    status = run_cli(env, "status").stdout
    assert "arxiv-daily-harvest" in status
    runs = status.split("recent runs:")[1].split("checkpoints:")[0]
    assert "arxiv-daily-harvest" in runs and " ok: " in runs
    assert "hf-daily-pull" not in runs  # the worker stopped instead of taking the next due job
    assert not upstream.hits("/hfapi/daily_papers")


def test_the_worker_loop_outlives_a_database_restart(monkeypatch, settings):
    settings.WORKER_POLL = 0.01
    stop, calls = threading.Event(), []

    def step(worker: str, progress: object, **lane_and_stop: object) -> bool:
        calls.append(worker)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        stop.set()
        return True

    monkeypatch.setattr(worker_module, "handle_one_job", step)
    run_worker("worker-1", stop)
    assert calls == ["worker-1", "worker-1"]


def test_the_embed_lane_claims_only_embedding_and_the_main_lane_never_does(frozen, settings):
    embedding = make_job(name=f"search-embed@{settings.NODE_NAME}", kind="search-embed", node=settings.NODE_NAME)
    digests = make_job(name="send-due-digests", kind="send-digests", due=NOW + dt.timedelta(seconds=1))
    frozen.shift(dt.timedelta(seconds=2))
    assert claim_due_job("embed-worker", lane="embed") == embedding  # the older due job of its lane
    assert claim_due_job("main-worker", lane="main") == digests  # not kept waiting behind embedding
    embedding.refresh_from_db()
    assert embedding.claimed_by == "embed-worker"
    Job.objects.filter(pk=embedding.pk).update(claimed_by="", claimed_until=None)
    assert claim_due_job("main-worker-2", lane="main") is None  # embedding is never the main lane's


def test_an_unreachable_upstream_fails_at_once_with_one_line_and_the_next_try(frozen, settings):
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.HF_API_URL = f"http://127.0.0.1:{port}/api"
    settings.JOB_RETRY_DELAY = 1800
    make_job()
    assert handle_one_job("worker-1", progress=lambda message: None)
    run = JobRun.objects.get()
    assert run.outcome == JobRun.FAILED
    assert run.message == "offline: 127.0.0.1 unreachable; next try at 09:30"
    assert Job.objects.get().next_run_at == NOW + dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_an_idle_worker_sleeps_only_until_its_lanes_next_job_is_due(settings):
    from paperfeed.jobs.worker import idle_seconds

    settings.WORKER_POLL = 30
    now = timezone.now()
    assert idle_seconds() == 30  # no jobs at all
    Job.objects.create(name="mail", kind="send-mail", next_run_at=now + dt.timedelta(seconds=10))
    Job.objects.create(name="later", kind="arxiv-harvest", next_run_at=now + dt.timedelta(hours=5))
    assert 8 <= idle_seconds() <= 10, "the outbox's 10 s cadence is kept, not the 30 s poll"
    assert idle_seconds("embed") == 30


def test_the_index_step_is_run_by_whichever_lane_of_the_node_is_free(frozen, settings):
    """A digest batch on the main lane must not hold the node's index up: the embed lane takes it."""
    index = make_job(name=f"search-index@{settings.NODE_NAME}", kind="search-index", node=settings.NODE_NAME)
    frozen.shift(dt.timedelta(seconds=2))
    assert claim_due_job("embed-worker", lane="embed") == index
    Job.objects.filter(pk=index.pk).update(claimed_by="", claimed_until=None)
    assert claim_due_job("main-worker", lane="main") == index
    assert claim_due_job("embed-worker", lane="embed") is None  # claimed: one runs it
