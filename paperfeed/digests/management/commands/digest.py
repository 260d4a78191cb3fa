"""paperfeed digest send [--dry-run] [--to EMAIL] : send the digests that are due now."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paperfeed.digests.delivery import Outcome, preview_due_digests, send_due_digests, worker_name


class Command(BaseCommand):
    help = "Send the email digests that are due (the worker does the same on schedule)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        send = actions.add_parser("send", help="claim and send every due digest")
        send.add_argument("--dry-run", action="store_true", help="print what would be sent; claim and send nothing")
        send.add_argument("--to", metavar="EMAIL", help="only this subscriber's digest")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self.preview(options["to"])
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.Signals(signum).name}: stopping after the current digest")
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        counts = send_due_digests(worker_name(), progress=self.report, to=options["to"], stop=stop)
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nothing due"
        self.stdout.write(summary)

    def report(self, outcome: Outcome) -> None:
        delivery = outcome.delivery
        line = f"{delivery.subscription.email} {delivery.period}: {outcome.state}"
        self.stderr.write(f"{line} ({outcome.error})" if outcome.error else line)

    def preview(self, to: str | None) -> None:
        due = preview_due_digests(to)
        for subscription, sections in due:
            count = sum(len(section.items) for section in sections)
            self.stdout.write(f"{subscription.email}: {count} papers")
            for section in sections:
                for item in section.items:
                    self.stdout.write(f"  [{section.title}] {item.paper.arxiv_id} {item.paper.title[:80]}")
        self.stdout.write(f"{len(due)} digests due (dry run: nothing sent)")
