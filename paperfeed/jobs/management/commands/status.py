"""paperfeed status : semantic search progress, jobs and their next run, each kind's last run and last
run that did something, recent runs, harvest checkpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Max, Sum
from django.utils import timezone

from paperfeed.jobs.models import Job, JobRun
from paperfeed.papers.models import HarvestCheckpoint
from paperfeed.search.progress import embedding_progress


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else "-"


def run_line(run: JobRun) -> str:
    counts = f"{run.added} added, {run.updated} updated, {run.unchanged} unchanged"
    line = f"{run.job.name} {_when(run.started_at)} -> {_when(run.finished_at)} {run.outcome}: {counts}"
    return line + (f" ({run.message})" if run.message else "")


def kind_lines() -> list[str]:
    """Per kind of job: when it last ran, how many runs since had nothing to do, and the last recorded run."""
    kinds = Job.objects.order_by("kind").values("kind").annotate(last=Max("last_run_at"), idle=Sum("idle_runs"))
    lines = []
    for row in kinds:
        ran = f"last ran {_when(row['last'])}" if row["last"] else "never ran"
        idle = f", {row['idle']:,} run{'s' if row['idle'] != 1 else ''} with nothing to do since" if row["idle"] else ""
        recorded = JobRun.objects.filter(job__kind=row["kind"]).select_related("job").order_by("-started_at", "-pk")
        last = recorded.first()
        did = f"; last that did something: {run_line(last)}" if last else "; none did anything yet"
        lines.append(f"{row['kind']}: {ran}{idle}{did}")
    return lines


class Command(BaseCommand):
    help = "Show the jobs and their next run, the most recent runs and the harvest checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=10, help="how many recent runs to show (default 10)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"now {_when(timezone.now())} UTC\n")
        self.stdout.write(f"semantic search: {embedding_progress().line()}\n\njobs:")
        for job in Job.objects.order_by("next_run_at", "name"):
            claim = f", claimed by {job.claimed_by} until {_when(job.claimed_until)}" if job.claimed_by else ""
            self.stdout.write(f"  {job.name} ({job.kind}): next run {_when(job.next_run_at)}{claim}")
        self.stdout.write("\nby kind (runs with nothing to do are counted, not listed):")
        for line in kind_lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("\nrecent runs:")
        for run in JobRun.objects.select_related("job").order_by("-started_at", "-pk")[: options["runs"]]:
            self.stdout.write(f"  {run_line(run)}")
        self.stdout.write("\ncheckpoints:")
        for point in HarvestCheckpoint.objects.order_by("-updated_at")[:20]:
            expected = f" of {point.expected}" if point.expected is not None else ""
            resume = f", resumes at {point.cursor!r}" if point.cursor else ""
            self.stdout.write(
                f"  {point.source} {point.key}: {point.status}, {point.pages} pages, {point.added} added{expected}, "
                f"updated {_when(point.updated_at)}{resume}" + (f" ({point.message})" if point.message else "")
            )
