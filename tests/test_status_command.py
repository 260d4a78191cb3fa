"""paperfeed status: semantic search progress, jobs and their next run, recent runs, harvest checkpoints."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from paperfeed.jobs.models import Job, JobRun
from paperfeed.papers.models import HarvestCheckpoint

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC)


def status(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("status", *args, stdout=out)
    return out.getvalue()


def test_it_lists_each_job_with_its_next_run_and_who_holds_it():
    Job.objects.create(name="arxiv-daily-harvest", kind="arxiv-harvest", next_run_at=NOW + dt.timedelta(hours=11))
    Job.objects.create(name="hf-daily-pull", kind="hf-pull", next_run_at=NOW, claimed_by="host:42", claimed_until=NOW)
    jobs = status().split("jobs:")[1].split("recent runs:")[0]
    assert "arxiv-daily-harvest (arxiv-harvest): next run 2026-02-03 20:00:00" in jobs
    assert "hf-daily-pull (hf-pull): next run 2026-02-03 09:00:00, claimed by host:42" in jobs


def test_it_shows_recent_runs_newest_first_with_their_outcome_and_counts():
    job = Job.objects.create(name="hf-daily-pull", kind="hf-pull", next_run_at=NOW)
    JobRun.objects.create(
        job=job, worker="w", started_at=NOW - dt.timedelta(days=1), outcome="failed", message="HTTP 503"
    )
    JobRun.objects.create(
        job=job, worker="w", started_at=NOW, finished_at=NOW, outcome="ok", added=12, updated=3, unchanged=40
    )
    runs = status().split("recent runs:")[1].split("checkpoints:")[0].strip().splitlines()
    assert "ok: 12 added, 3 updated, 40 unchanged" in runs[0]
    assert "failed" in runs[1] and "HTTP 503" in runs[1]
    assert len(status("--runs", "1").split("recent runs:")[1].split("checkpoints:")[0].strip().splitlines()) == 1


def test_it_shows_where_an_unfinished_harvest_will_resume():
    HarvestCheckpoint.objects.create(
        source="arxiv-oai", key="set=cs from=2026-02-01", cursor="6960524|1001", status="failed", pages=1,
        added=1000, expected=1162, message="HTTP 503", started_at=NOW, updated_at=NOW,
    )  # fmt: skip
    checkpoints = status().split("checkpoints:")[1]
    assert "arxiv-oai set=cs from=2026-02-01: failed, 1 pages, 1000 added of 1162" in checkpoints
    assert "resumes at '6960524|1001'" in checkpoints
    assert "HTTP 503" in checkpoints


def test_it_says_how_many_papers_are_searchable_by_meaning():
    from paperfeed.papers.store import upsert_records
    from tests.search_support import record

    upsert_records([record("2602.00001", "A paper"), record("2602.00002", "Another paper")], source="test")
    assert "semantic search: 0 of 2 searchable by meaning; embedding is not running\n" in status()
