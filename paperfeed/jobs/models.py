"""Jobs (what runs when) and their runs: the database is the queue."""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    """A scheduled piece of work; a worker claims it by moving ``claimed_until`` forward."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=50, help_text="A key of paperfeed.jobs.kinds.KINDS")
    params = models.JSONField(default=dict, blank=True)
    next_run_at = models.DateTimeField(db_index=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="Lease: another worker may take over after")
    node = models.CharField(
        max_length=100, blank=True, default="", help_text="Empty: any worker; else only workers on this node"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A run that found nothing to do (no mail waiting, no digest due) leaves no JobRun: it is only
    # counted here, so `paperfeed status` is not crowded by the 10-second jobs' thousands of them.
    last_run_at = models.DateTimeField(null=True, blank=True, help_text="When a run of it last finished, any run")
    idle_runs = models.PositiveIntegerField(default=0, help_text="Runs with nothing to do since the last recorded run")

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    RUNNING, OK, FAILED, INTERRUPTED = "running", "ok", "failed", "interrupted"
    OUTCOMES = [(RUNNING, RUNNING), (OK, OK), (FAILED, FAILED), (INTERRUPTED, INTERRUPTED)]

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="runs")
    worker = models.CharField(max_length=200)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=OUTCOMES, default=RUNNING)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.job.name} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
