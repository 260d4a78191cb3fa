"""paperfeed worker [--once] [--lane all|main|embed] : run scheduled jobs until SIGTERM."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from paperfeed.jobs.kinds import EMBED, LANES, ensure_default_jobs
from paperfeed.jobs.worker import run_worker, worker_name
from paperfeed.search.embedding import use_threads
from paperfeed.search.onnxmodel import configured_embedder, prepare_runtime


class Command(BaseCommand):
    help = "Run due jobs until stopped; SIGTERM or SIGINT stops after the current job (or embedding batch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the jobs that are due, then exit")
        parser.add_argument(
            "--lane",
            choices=("all", *LANES),
            default="all",
            help="which jobs to run: main (harvests, digests, mail, keyword index), embed (vectors), or all (default)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.Signals(signum).name}: stopping after the current job")
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        lane = options["lane"]
        if lane == EMBED:  # a process of its own: all of the machine's cores, the model loaded once
            threads = use_threads(settings.EMBEDDING_THREADS)
            runtime = prepare_runtime(self.stderr.write)
            configured_embedder()
            self.stderr.write(f"embedding model loaded ({runtime}); {threads} threads")
        for name in ensure_default_jobs():
            self.stderr.write(f"created job {name}")
        worker = worker_name()
        self.stderr.write(f"worker {worker} ({lane} lane) started")
        run_worker(worker, stop, once=options["once"], progress=self.stderr.write, lane=lane)
        self.stderr.write(f"worker {worker} stopped")
