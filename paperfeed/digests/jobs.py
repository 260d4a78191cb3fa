"""The worker's "send due digests" job kind (registered in paperfeed/jobs/kinds.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from paperfeed.digests.delivery import Outcome, send_due_digests, worker_name
from paperfeed.papers.sources.harvest import IngestResult, Progress

POLL = dt.timedelta(minutes=1)  # digests are due on the hour; a minute late at most


def send_digests(params: Mapping[str, Any], progress: Progress) -> IngestResult:
    def report(outcome: Outcome) -> None:
        progress(f"digest {outcome.delivery.subscription.email} {outcome.delivery.period}: {outcome.state}")

    counts = send_due_digests(worker_name(), progress=report)
    result = IngestResult()
    result.notes.append(", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no digest due")
    return result


def next_run_at(after: dt.datetime) -> dt.datetime:
    return after + POLL
