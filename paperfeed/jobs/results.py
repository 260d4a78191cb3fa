"""What one job run reports: counts for the run's row and a line of notes, or that it had nothing to do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from paperfeed.papers.sources.harvest import IngestResult


@dataclass
class JobResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    idle: bool = False  # nothing to do: the worker records no JobRun, it counts the run on the Job

    @classmethod
    def of_ingest(cls, result: IngestResult) -> JobResult:
        """A harvest's counts, with its summary as the note."""
        return cls(result.added, result.updated, result.unchanged, [result.summary()])

    @classmethod
    def of_counts(cls, counts: Mapping[str, int], none: str) -> JobResult:
        """Counts by outcome as the note ("2 sent, 1 retry"), or ``none`` (an idle run) when there were none."""
        done = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()) if n)
        return cls(notes=[done or none], idle=not done)

    def summary(self) -> str:
        return "; ".join(self.notes)
