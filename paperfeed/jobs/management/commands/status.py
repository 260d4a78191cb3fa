"""paperfeed status : semantic search progress, jobs and their next run, recent runs, harvest checkpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from paperfeed.jobs.models import Job, JobRun
from paperfeed.papers.models import HarvestCheckpoint
from paperfeed.search.progress import embedding_progress


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else "-"


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
        self.stdout.write("\nrecent runs:")
        for run in JobRun.objects.select_related("job").order_by("-started_at", "-pk")[: options["runs"]]:
            counts = f"{run.added} added, {run.updated} updated, {run.unchanged} unchanged"
            self.stdout.write(
                f"  {run.job.name} {_when(run.started_at)} -> {_when(run.finished_at)} {run.outcome}: {counts}"
                + (f" ({run.message})" if run.message else "")
            )
        self.stdout.write("\ncheckpoints:")
        for point in HarvestCheckpoint.objects.order_by("-updated_at")[:20]:
            expected = f" of {point.expected}" if point.expected is not None else ""
            resume = f", resumes at {point.cursor!r}" if point.cursor else ""
            self.stdout.write(
                f"  {point.source} {point.key}: {point.status}, {point.pages} pages, {point.added} added{expected}, "
                f"updated {_when(point.updated_at)}{resume}" + (f" ({point.message})" if point.message else "")
            )
