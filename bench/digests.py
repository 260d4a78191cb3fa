"""Digest delivery speed: 10,000 subscribers with varied profiles over the 27k-paper corpus.

Run with `make bench` (or `.venv/bin/python bench/digests.py [--subscribers N]`). A fresh
SQLite store in a temporary directory gets the real corpus (not timed), then N active
subscribers, all due at one slot on the corpus's last day: categories, authors and keywords
taken from the corpus, excluded words, trending top-N, daily and weekly, time zones around the
world. With ``--recommendations F`` (default 1: every subscriber) a share of them also has an
account with a 20-paper library (papers of one category) and a "Recommended for you" section,
so each of those digests trains (or reads from the cache) that user's model and ranks the day's
papers with it. The papers' vectors are seeded random unit vectors, not MiniLM's: embedding 27k
papers takes 20 minutes here, and the cost of a recommendation does not depend on what the
vectors say. A second run on the next day's slot, with every model cached, is timed too
(``--days 2``). Then two `paperfeed digest send` processes at once (one per core; `--workers 1` sends
in this process instead) claim, build and send every digest to a local aiosmtpd server over
loopback SMTP (timed). Target: <= 120 s on 2 cores. Also printed: the CPU seconds the workers
and the server used, which the load of other programs on the machine does not inflate.

Baseline, measured in the same run: sending 1,000 already-rendered digests of the same size
over the same server with smtplib alone (the transport's floor); the ratio shows what claiming,
building and recording cost on top of it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import resource
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "arxiv-cs-daily-2026-dengwei" / "papers_dedup.jsonl.gz"
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata"]
WORDS = ["diffusion", "transformer", "reinforcement", "graph", "robot", "privacy", "benchmark", "agent", "quantum"]


class CountingHandler:
    """Accepts every message and counts it; parsing is left out so the server costs little."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        with self.lock:
            self.count += 1
        return "250 OK"


def setup_django(data_dir: Path) -> None:
    os.environ.update(PAPERFEED_DATA_DIR=str(data_dir), PAPERFEED_SECRET_KEY="bench", PAPERFEED_LOG_LEVEL="WARNING")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "paperfeed.settings"
    import django

    django.setup()


def store_vectors(seed: int = 15) -> int:
    """Seeded random unit vectors for every paper, stored as the configured model's (see above)."""
    import numpy as np
    from django.utils import timezone

    from paperfeed.papers.models import Paper
    from paperfeed.recs.vectors import current_model
    from paperfeed.search.models import PaperVector

    now, model = timezone.now(), current_model()
    ids = list(Paper.objects.values_list("pk", flat=True))
    vectors = np.random.default_rng(seed).normal(size=(len(ids), 384)).astype("<f4")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = (
        PaperVector(paper_id=pk, model_id=model, vector=v.tobytes(), paper_changed_at=now, computed_at=now)
        for pk, v in zip(ids, vectors, strict=True)
    )
    PaperVector.objects.bulk_create(rows, batch_size=2000)
    return len(ids)


def make_readers(subscriptions: list, rng: random.Random) -> None:  # type: ignore[type-arg]
    """An account with a 20-paper library (one category's papers) for each of ``subscriptions``."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from paperfeed.accounts.models import LibraryEntry
    from paperfeed.papers.models import PaperCategory

    by_category: dict[str, list[int]] = {}
    for paper_id, category in PaperCategory.objects.values_list("paper_id", "category"):
        by_category.setdefault(category, []).append(paper_id)
    pools = [ids for ids in by_category.values() if len(ids) >= 200]
    users = User.objects.bulk_create(
        [User(username=f"reader{s.pk}", email=s.email, password="!") for s in subscriptions], batch_size=1000
    )
    now = timezone.now()
    entries = [
        LibraryEntry(user=user, paper_id=pk, added_at=now) for user in users for pk in rng.sample(rng.choice(pools), 20)
    ]
    LibraryEntry.objects.bulk_create(entries, batch_size=2000)
    for subscription, user in zip(subscriptions, users, strict=True):
        subscription.user, subscription.recommendations = user, True
    type(subscriptions[0]).objects.bulk_update(subscriptions, ["user", "recommendations"], batch_size=1000)


def make_subscribers(count: int, slot, rng: random.Random, readers: float) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Count

    from paperfeed.digests.models import Subscription
    from paperfeed.papers.models import PaperAuthor, PaperCategory

    categories = [
        c for c, _ in PaperCategory.objects.values_list("category").annotate(n=Count("pk")).order_by("-n")[:40]
    ]
    authors = list(PaperAuthor.objects.order_by("?").values_list("name", flat=True)[:2000])
    rows = []
    for n in range(count):
        kind = n % 5
        rows.append(
            Subscription(
                email=f"reader{n}@example.org",
                status=Subscription.ACTIVE,
                frequency=Subscription.WEEKLY if n % 4 == 0 else Subscription.DAILY,
                timezone=rng.choice(ZONES),
                send_hour=rng.randrange(24),
                categories=rng.sample(categories, rng.randint(1, 3)) if kind in (0, 1, 3) else [],
                authors=rng.sample(authors, rng.randint(1, 5)) if kind in (1, 2) else [],
                include_keywords=rng.sample(WORDS, 2) if kind in (2, 4) else [],
                exclude_keywords=rng.sample(WORDS, 1) if kind == 3 else [],
                trending_count=rng.choice([0, 5, 10]) if kind != 2 else 0,
                next_digest_at=slot,
                created_at=slot,
                confirmed_at=slot,
            )
        )
    Subscription.objects.bulk_create(rows, batch_size=1000)
    with_recs = list(Subscription.objects.order_by("pk")[: round(count * readers)])
    if with_recs:
        make_readers(with_recs, rng)


def baseline(port: int, messages: list[bytes], count: int) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            smtp.sendmail("paperfeed@localhost", [f"reader{n}@example.org"], messages[n % len(messages)])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="sending processes at once (1: in this process)")
    parser.add_argument("--profile", action="store_true", help="with --workers 1: print where the sending time goes")
    parser.add_argument(
        "--recommendations", type=float, default=1.0, help="share of subscribers with a library and recommendations"
    )
    parser.add_argument("--days", type=int, default=2, help="slots to send, a day apart (the second: models cached)")
    args = parser.parse_args()
    setup_django(Path(tempfile.mkdtemp(prefix="paperfeed-bench-digests-")))
    import datetime as dt

    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Max

    from paperfeed.digests.models import Delivery
    from paperfeed.papers.importing import import_file
    from paperfeed.papers.models import Paper
    from tests.smtp_server import free_port

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    import_file(CORPUS)
    print(f"corpus: {Paper.objects.count():,} papers imported in {time.perf_counter() - started:.1f} s (not timed)")
    last_day = Paper.objects.aggregate(day=Max("announced_on"))["day"]
    slot = dt.datetime.combine(last_day, dt.time(23, 0), tzinfo=dt.UTC)
    if args.recommendations:
        print(f"vectors: {store_vectors():,} papers (seeded random, not timed)")
    make_subscribers(args.subscribers, slot, random.Random(2026), args.recommendations)

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    try:
        for run in range(1, args.days + 1):
            if run > 1:  # the same slot again: every digest rebuilt, with each reader's model kept from run 1
                again(slot)
            handler.count = 0
            if args.workers == 1:
                counts, seconds, cpu = send_in_process(slot, args.profile)
            else:
                counts, seconds, cpu = send_with_workers(args.workers, port)
            assert handler.count == counts.get("sent", 0), (handler.count, counts)
            report(args, run, counts, seconds, cpu)
        sample = [_rendered(d) for d in Delivery.objects.filter(state=Delivery.SENT).order_by("?")[:50]]
        floor = baseline(port, sample, 1000) / 1000
    finally:
        controller.stop()
    print(f"baseline (smtplib alone, rendered digests): {floor * 1000:.2f} ms per message")


def again(slot) -> None:  # type: ignore[no-untyped-def]
    """Forget run 1's deliveries and make every subscription due at ``slot`` again."""
    from paperfeed.digests.models import DeliveredPaper, Delivery, Subscription

    DeliveredPaper.objects.all().delete()
    Delivery.objects.all().delete()
    Subscription.objects.update(next_digest_at=slot)


def report(args, run: int, counts: dict[str, int], seconds: float, cpu: float) -> None:  # type: ignore[no-untyped-def]
    from paperfeed.digests.models import DeliveredPaper, Delivery
    from paperfeed.recs.models import TrainedModel

    digests, papers = Delivery.objects.count(), DeliveredPaper.objects.count()
    kind = "models trained as they go" if run == 1 else "every model kept from run 1"
    print(f"run {run} ({kind}; {TrainedModel.objects.count():,} models kept after it)")
    print(f"  subscribers: {args.subscribers:,}; workers: {args.workers}; outcomes: {counts}; papers sent: {papers:,}")
    print(
        f"  digests: {seconds:.1f} s for {digests:,} digests = {seconds / max(digests, 1) * 1000:.2f} ms per digest "
        "(target: 10,000 in <= 120 s)"
    )
    print(
        f"  CPU time of the {args.workers} worker(s) and the SMTP server: {cpu:.1f} s "
        f"= {cpu / max(digests, 1) * 1000:.2f} ms per digest; "
        f"load average then {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def send_in_process(slot, profiled: bool) -> tuple[dict[str, int], float, float]:  # type: ignore[no-untyped-def]
    import datetime as dt

    import time_machine

    from paperfeed.digests.delivery import send_due_digests

    with time_machine.travel(slot + dt.timedelta(minutes=1), tick=True):
        profile = cProfile.Profile() if profiled else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        counts = send_due_digests("bench")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if profile:
            profile.disable()
            shown = os.environ.get("BENCH_PROFILE_FILTER", "paperfeed|smtplib|mail|template")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(shown, 40)
    return counts, seconds, cpu


def send_with_workers(workers: int, port: int) -> tuple[dict[str, int], float, float]:
    """``workers`` processes of `paperfeed digest send` at once (the slot is in the past: all due)."""
    from django.db import connection

    connection.close()
    env = {**os.environ, "PAPERFEED_EMAIL_HOST": "127.0.0.1", "PAPERFEED_EMAIL_PORT": str(port)}
    script = Path(sys.executable).with_name("paperfeed")
    started, cpu_started = time.perf_counter(), time.process_time()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    running = [
        subprocess.Popen(
            [str(script), "digest", "send"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        for _ in range(workers)
    ]
    counts: dict[str, int] = {}
    for process in running:
        out, _ = process.communicate()
        assert process.returncode == 0, out
        for part in out.strip().split(", "):
            number, _, state = part.partition(" ")
            if number.isdigit():
                counts[state] = counts.get(state, 0) + int(number)
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    return counts, seconds, cpu + time.process_time() - cpu_started


def _rendered(delivery) -> bytes:  # type: ignore[no-untyped-def]
    from paperfeed.digests import email
    from paperfeed.digests.delivery import digest_context

    return (
        email.build("digest", delivery.subscription, digest_context(delivery), delivery.message_id)
        .message()
        .as_bytes(linesep="\r\n")
    )


if __name__ == "__main__":
    main()
