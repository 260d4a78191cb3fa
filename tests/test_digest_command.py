"""`paperfeed digest send|preview|send-now`: dry runs, one address, unknown addresses, digests now,
worker processes racing and killed mid-batch."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import time_machine

from paperfeed.digests.models import DeliveredPaper, Delivery
from tests.conftest import call, daily_file, import_day, run_cli
from tests.digest_support import SLOT, body, subscriber

CREATE_SUBSCRIBERS = """
import datetime as dt
from paperfeed.digests.models import Subscription
slot = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
cats = ["cs.LG", "cs.CL", "cs.CV", "cs.RO", "cs.AI"]
for n in range({count}):
    Subscription.objects.create(email=f"reader{{n}}@example.org", status="active", categories=[cats[n % 5]],
                                next_digest_at=slot, created_at=slot, confirmed_at=slot)
"""


@pytest.fixture
def store(cli_env, smtp_server):
    """A subprocess database with one real day of papers and ``count`` due subscribers."""
    env = {**cli_env, **smtp_server.env()}
    assert run_cli(env, "migrate", "--no-input", "-v", "0").returncode == 0
    assert run_cli(env, "import", "--quiet", str(daily_file("2026-03-02"))).returncode == 0

    def with_subscribers(count: int, lease: int = 300) -> dict[str, str]:
        made = run_cli(env, "shell", "-c", CREATE_SUBSCRIBERS.format(count=count))
        assert made.returncode == 0, made.stderr
        return {**env, "PAPERFEED_DIGEST_LEASE": str(lease)}

    return with_subscribers


def start_sender(env: dict[str, str]) -> subprocess.Popen[str]:
    script = Path(sys.executable).with_name("paperfeed")
    return subprocess.Popen(
        [str(script), "digest", "send"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.django_db
def test_a_dry_run_prints_the_digests_and_claims_and_sends_nothing(smtp_server):
    import_day()
    subscriber("alice@example.org", categories=["cs.CL"])
    with time_machine.travel(SLOT + dt.timedelta(minutes=5), tick=False):
        status, out, _ = call("digest", "send", "--dry-run")
    assert status == 0
    assert "alice@example.org:" in out and "[New in what you follow]" in out
    assert "1 digests due (dry run: nothing sent)" in out
    assert not Delivery.objects.exists() and not smtp_server.messages


@pytest.mark.django_db
def test_to_sends_only_that_subscribers_digest(smtp_server):
    import_day()
    subscriber("alice@example.org")
    subscriber("bob@example.org")
    with time_machine.travel(SLOT + dt.timedelta(minutes=5), tick=False):
        status, out, _ = call("digest", "send", "--to", "Bob@example.org")
    assert (status, out.strip()) == (0, "1 sent")
    assert [m["To"] for m in smtp_server.messages] == ["bob@example.org"]


@pytest.mark.django_db(transaction=True)
def test_two_sender_processes_at_once_deliver_every_digest_exactly_once(store, smtp_server):
    env = store(16)
    senders = [start_sender(env) for _ in range(2)]
    for sender in senders:
        _, err = sender.communicate(timeout=300)
        assert sender.returncode == 0, err
    arrived = Counter(m["To"] for m in smtp_server.messages)
    assert arrived == Counter({f"reader{n}@example.org": 1 for n in range(16)})


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_mid_batch_then_restarted_delivers_every_digest_exactly_once(store, smtp_server):
    env = store(8, lease=2)
    held = smtp_server.hold(after=3)  # the 4th message hangs in DATA
    sender = start_sender(env)
    assert held.wait(120), sender.stderr.read() if sender.poll() is not None else "no 4th message arrived"
    sender.send_signal(signal.SIGKILL)
    sender.wait(30)
    smtp_server.release()
    assert len(smtp_server.messages) == 3
    time.sleep(2.5)  # the killed sender's lease (PAPERFEED_DIGEST_LEASE=2) runs out
    again = run_cli(env, "digest", "send")
    assert again.returncode == 0, again.stderr
    arrived = Counter(m["To"] for m in smtp_server.messages)
    assert arrived == Counter({f"reader{n}@example.org": 1 for n in range(8)})
    assert "8 sent" not in again.stdout and "5 sent" in again.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("args", [("send", "--to"), ("send", "--dry-run", "--to"), ("preview",), ("send-now",)])
def test_an_unknown_address_is_no_such_subscriber_not_nothing_due(args, smtp_server):
    subscriber("alice@example.org")
    status, out, err = call("digest", *args, "nobody@example.org")
    assert (status, err.strip()) == (1, "no such subscriber: nobody@example.org")
    assert "nothing due" not in out and not smtp_server.messages


@pytest.mark.django_db
def test_a_known_subscriber_with_nothing_due_is_still_nothing_due(smtp_server):
    subscriber("alice@example.org", next_digest_at=SLOT + dt.timedelta(days=1))
    with time_machine.travel(SLOT + dt.timedelta(minutes=5), tick=False):
        assert call("digest", "send", "--to", "alice@example.org") == (0, "nothing due\n", "")


@pytest.mark.django_db
def test_preview_prints_the_text_digest_a_subscriber_not_yet_due_would_get_and_changes_nothing(smtp_server):
    import_day()
    alice = subscriber("alice@example.org", categories=["cs.CL"], next_digest_at=SLOT + dt.timedelta(hours=23))
    with time_machine.travel(SLOT + dt.timedelta(minutes=5), tick=False):
        status, out, _ = call("digest", "preview", "Alice@example.org")
    assert status == 0
    assert out.startswith("Subject: paperfeed: ") and "new papers, " in out
    assert "== New in what you follow ==" in out and "https://arxiv.org/abs/" in out
    alice.refresh_from_db()
    assert alice.next_digest_at == SLOT + dt.timedelta(hours=23)
    assert not Delivery.objects.exists() and not DeliveredPaper.objects.exists() and not smtp_server.messages


@pytest.mark.django_db
def test_send_now_sends_the_digest_at_once_durably_and_keeps_the_schedule(smtp_server):
    import_day()
    tomorrow = SLOT + dt.timedelta(hours=23)
    alice = subscriber("alice@example.org", categories=["cs.CL"], next_digest_at=tomorrow)
    with time_machine.travel(SLOT + dt.timedelta(minutes=5), tick=False):
        preview = call("digest", "preview", "alice@example.org")[1]
        status, out, _ = call("digest", "send-now", "alice@example.org")
    assert (status, out.strip()) == (0, "1 sent")
    [message] = smtp_server.messages
    row = Delivery.objects.get()
    assert (row.state, row.period, row.message_id) == (
        Delivery.SENT,
        f"now-{int(row.scheduled_for.timestamp())}",
        message["Message-ID"],
    )
    assert sorted(DeliveredPaper.objects.values_list("paper_id", flat=True)) == sorted(row.paper_ids)
    sent = body(message, "plain").splitlines()
    assert preview.splitlines()[2:] == sent, (preview.splitlines()[-3:], sent[-3:])  # the preview was exactly it
    alice.refresh_from_db()
    assert alice.next_digest_at == tomorrow


@pytest.mark.django_db
def test_after_send_now_the_scheduled_digest_still_comes_without_the_papers_already_sent(smtp_server):
    import_day()
    subscriber("alice@example.org", categories=["cs.CL"], next_digest_at=SLOT + dt.timedelta(hours=1))
    with time_machine.travel(SLOT, tick=False):
        assert call("digest", "send-now", "alice@example.org")[0] == 0
    first = set(Delivery.objects.get().paper_ids)
    with time_machine.travel(SLOT + dt.timedelta(hours=1, minutes=1), tick=False):
        status = call("digest", "send", "--to", "alice@example.org")[0]
    assert status == 0
    scheduled = Delivery.objects.exclude(period__startswith="now-").get()
    assert scheduled.period == "2026-03-02" and not (set(scheduled.paper_ids or []) & first)


@pytest.mark.django_db
def test_send_now_refuses_an_address_that_is_not_active(smtp_server):
    subscriber("alice@example.org", status="pending")
    status, _, err = call("digest", "send-now", "alice@example.org")
    assert (status, err.strip()) == (1, "alice@example.org is pending: no digest is sent to it")
    assert not Delivery.objects.exists() and not smtp_server.messages
