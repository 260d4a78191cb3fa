"""paperfeed worker [--once] : run scheduled jobs (arXiv harvest, Hugging Face pull) until SIGTERM."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paperfeed.jobs.kinds import ensure_default_jobs
from paperfeed.jobs.worker import run_worker, worker_name


class Command(BaseCommand):
    help = "Run due jobs until stopped; SIGTERM or SIGINT lets the current job finish, then exits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the jobs that are due, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.Signals(signum).name}: stopping after the current job")
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        for name in ensure_default_jobs():
            self.stderr.write(f"created job {name}")
        worker = worker_name()
        self.stderr.write(f"worker {worker} started")
        run_worker(worker, stop, once=options["once"], progress=self.stderr.write)
        self.stderr.write(f"worker {worker} stopped")
