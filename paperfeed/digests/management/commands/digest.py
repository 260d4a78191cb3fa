"""paperfeed digest send [--dry-run] [--to EMAIL] | preview EMAIL | send-now EMAIL."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from paperfeed.digests.delivery import Outcome, preview_due_digests, send_due_digests, worker_name
from paperfeed.digests.models import Subscription
from paperfeed.digests.on_demand import SendNowRefused, find_subscription, preview_digest, send_digest_now


class Command(BaseCommand):
    help = "Send the email digests that are due (the worker does the same on schedule), preview one, or send one now."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        send = actions.add_parser("send", help="claim and send every due digest")
        send.add_argument("--dry-run", action="store_true", help="print what would be sent; claim and send nothing")
        send.add_argument("--to", metavar="EMAIL", help="only this subscriber's digest")
        preview = actions.add_parser("preview", help="print the text of the digest EMAIL would get now; change nothing")
        preview.add_argument("email", metavar="EMAIL")
        now = actions.add_parser("send-now", help="compose and send EMAIL's digest now, whatever the schedule")
        now.add_argument("email", metavar="EMAIL")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "preview":
            self.preview_one(self.subscriber(options["email"]))
        elif options["action"] == "send-now":
            self.send_now(self.subscriber(options["email"]))
        elif options["to"]:
            self.subscriber(options["to"])
            self.send(options["dry_run"], options["to"])
        else:
            self.send(options["dry_run"], None)

    def subscriber(self, address: str) -> Subscription:
        subscription = find_subscription(address)
        if subscription is None:
            self.fail(f"no such subscriber: {address}")
        return subscription

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(1)

    def send(self, dry_run: bool, to: str | None) -> None:
        if dry_run:
            self.preview_due(to)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.Signals(signum).name}: stopping after the current digest")
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        counts = send_due_digests(worker_name(), progress=self.report, to=to, stop=stop)
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nothing due"
        self.stdout.write(summary)

    def report(self, outcome: Outcome) -> None:
        delivery = outcome.delivery
        line = f"{delivery.subscription.email} {delivery.period}: {outcome.state}"
        self.stderr.write(f"{line} ({outcome.error})" if outcome.error else line)

    def preview_due(self, to: str | None) -> None:
        due = preview_due_digests(to)
        for subscription, sections in due:
            count = sum(len(section.items) for section in sections)
            self.stdout.write(f"{subscription.email}: {count} papers")
            for section in sections:
                for item in section.items:
                    self.stdout.write(f"  [{section.title}] {item.paper.arxiv_id} {item.paper.title[:80]}")
        self.stdout.write(f"{len(due)} digests due (dry run: nothing sent)")

    def preview_one(self, subscription: Subscription) -> None:
        preview = preview_digest(subscription)
        if preview.empty_because:
            self.stdout.write(f"{subscription.email}: nothing to send now: {preview.empty_because}")
        else:
            self.stdout.write(f"Subject: {preview.message.subject}\n\n{preview.message.body}")
        self.stderr.write("preview: nothing sent or recorded")

    def send_now(self, subscription: Subscription) -> None:
        try:
            outcome = send_digest_now(subscription, worker_name())
        except SendNowRefused as refused:
            self.fail(str(refused))
        self.report(outcome)
        self.stdout.write(f"1 {outcome.state}")
        if outcome.state not in ("sent", "empty"):
            sys.exit(1)
