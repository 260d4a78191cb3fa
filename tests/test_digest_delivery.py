"""Sending digests over a real SMTP server: contents, headers, links, retries, failures, races."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
import time_machine
from django.conf import settings as conf
from django.core.mail import get_connection
from django.db import OperationalError
from django.test import Client

from paperfeed.digests import delivery as delivery_module
from paperfeed.digests.delivery import handle_one_delivery, handle_one_due_subscription, send_due_digests
from paperfeed.digests.models import DeliveredPaper, Delivery, Subscription
from paperfeed.papers.models import Paper
from tests.conftest import import_day, race
from tests.digest_support import SLOT, body, links, local_path, subscriber

pytestmark = pytest.mark.django_db

NOW = SLOT + dt.timedelta(minutes=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def papers():
    import_day()


def arxiv_ids(message) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in links(message) if url.startswith("https://arxiv.org/abs/")]


def smtp():
    return get_connection()


def test_a_due_digest_arrives_with_both_parts_and_the_unsubscribe_headers(smtp_server, papers, frozen):
    alice = subscriber(categories=["cs.CL"])
    assert send_due_digests("w1") == {"sent": 1}
    [message] = smtp_server.messages
    assert message["To"] == "alice@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://\S+/one-click/\S+/>", message["List-Unsubscribe"].strip())
    sent = Paper.objects.filter(arxiv_id__in=arxiv_ids(message))
    assert sent.count() == len(arxiv_ids(message)) > 0
    assert all("cs.CL" in paper.categories for paper in sent)
    html = body(message, "html")
    for paper in sent:
        assert f"https://arxiv.org/abs/{paper.arxiv_id}" in html
    row = Delivery.objects.get()
    assert (row.subscription, row.state, row.period) == (alice, Delivery.SENT, "2026-03-02")
    assert row.message_id == message["Message-ID"]
    assert sorted(row.paper_ids) == sorted(sent.values_list("pk", flat=True))


def test_the_html_part_escapes_what_comes_from_papers(smtp_server, papers, frozen):
    paper = Paper.objects.order_by("arxiv_id").first()
    Paper.objects.filter(pk=paper.pk).update(title="Attention <script>alert(1)</script> & more", changed_at=NOW)
    subscriber(include_keywords=["alert(1)"], categories=[])
    send_due_digests("w1")
    [message] = smtp_server.messages
    assert "<script>" not in body(message, "html")
    assert "&lt;script&gt;" in body(message, "html")
    assert "Attention <script>alert(1)</script> & more" in body(message, "plain")


def test_every_link_in_a_digest_works_with_the_test_client(smtp_server, papers, frozen):
    subscriber(categories=["cs.CL"])
    send_due_digests("w1")
    [message] = smtp_server.messages
    client = Client()
    ours = [url for url in links(message) if url.startswith(conf.SITE_URL)]  # not arXiv's or code links
    assert ours, "the digest links to paper pages and to the manage and unsubscribe pages"
    assert sum("/paper/" in url for url in ours) == len(arxiv_ids(message))
    for url in ours:
        response = client.get(local_path(url))
        assert response.status_code == 200, url
    one_click = message["List-Unsubscribe"].strip().strip("<>")
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(
            local_path(one_click), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED


def test_authors_and_keywords_select_papers_and_excluded_words_drop_them(smtp_server, papers, frozen):
    paper = Paper.objects.exclude(authors=[]).order_by("arxiv_id").first()
    word = paper.title.split()[0]
    subscriber("alice@example.org", categories=[], authors=[paper.authors[0].upper()])
    subscriber("bob@example.org", categories=[], authors=[paper.authors[0]], exclude_keywords=[word.lower()])
    send_due_digests("w1")
    got = {m["To"]: arxiv_ids(m) for m in smtp_server.messages}
    assert paper.arxiv_id in got["alice@example.org"]
    assert paper.arxiv_id not in got.get("bob@example.org", [])


def test_a_paper_already_received_never_comes_again(smtp_server, papers, frozen):
    alice = subscriber(categories=["cs.LG"], frequency="daily")
    send_due_digests("w1")
    first = set(arxiv_ids(smtp_server.messages[0]))
    alice.refresh_from_db()
    frozen.move_to(
        alice.next_digest_at + dt.timedelta(minutes=1)
    )  # the next day: the same papers are still in the window
    send_due_digests("w1")
    later = [set(arxiv_ids(m)) for m in smtp_server.messages[1:]]
    assert all(not (first & ids) for ids in later)
    assert DeliveredPaper.objects.filter(subscription=alice).count() == len(first) + sum(map(len, later))


def test_an_empty_digest_is_not_sent_unless_the_setting_says_so(smtp_server, papers, frozen, settings):
    subscriber("alice@example.org", categories=["no.SUCH"])
    subscriber("bob@example.org", categories=["no.SUCH"])
    settings.DIGEST_SEND_EMPTY = False
    handle_one_due_subscription()
    handle_one_delivery("w1", smtp())
    settings.DIGEST_SEND_EMPTY = True
    send_due_digests("w1")
    assert sorted(Delivery.objects.values_list("state", flat=True)) == ["empty", "sent"]
    [message] = smtp_server.messages
    assert "Nothing new" in body(message, "plain")


def test_a_4xx_is_retried_later_and_then_sent_once(smtp_server, papers, frozen, settings):
    settings.DIGEST_RETRY_DELAY = 60
    subscriber()
    smtp_server.replies.append("451 4.3.0 mailbox busy, try again")
    assert send_due_digests("w1") == {"retry": 1}
    row = Delivery.objects.get()
    assert row.state == Delivery.RETRY and "451" in row.last_error
    assert send_due_digests("w1") == {}  # not before the backoff has passed
    frozen.shift(dt.timedelta(seconds=91))
    assert send_due_digests("w1") == {"sent": 1}
    [message] = smtp_server.messages
    row.refresh_from_db()
    assert (row.state, row.attempts, row.message_id) == (Delivery.SENT, 2, message["Message-ID"])


def test_a_refused_connection_is_transient(settings, papers, frozen):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    subscriber()
    assert send_due_digests("w1") == {"retry": 1}
    assert Subscription.objects.get().permanent_failures == 0


def test_a_5xx_fails_the_digest_counts_against_the_address_and_gives_its_papers_back(smtp_server, papers, frozen):
    alice = subscriber()
    smtp_server.refuse["alice@example.org"] = "550 5.1.1 no such mailbox"
    assert send_due_digests("w1") == {"failed": 1}
    alice.refresh_from_db()
    assert alice.permanent_failures == 1 and alice.status == Subscription.ACTIVE
    assert Delivery.objects.get().state == Delivery.FAILED
    assert not DeliveredPaper.objects.exists()
    assert not smtp_server.messages


def test_an_address_is_disabled_after_the_permanent_failure_limit(smtp_server, papers, frozen, settings):
    settings.DIGEST_MAX_PERMANENT_FAILURES = 2
    alice = subscriber()
    smtp_server.replies.extend(["554 5.7.1 rejected", "554 5.7.1 rejected"])
    for _ in range(2):
        send_due_digests("w1")
        alice.refresh_from_db()
        if alice.next_digest_at:
            frozen.move_to(alice.next_digest_at + dt.timedelta(minutes=1))
    assert alice.status == Subscription.DISABLED and alice.next_digest_at is None
    assert send_due_digests("w1") == {}


def test_a_crash_after_the_server_accepted_resends_the_same_message_after_the_lease(
    smtp_server, papers, frozen, settings, monkeypatch
):
    """The documented at-least-once window: same Message-ID and papers, so clients can fold it."""
    subscriber()
    real_finish = delivery_module._finish

    def power_cut(*args, **kwargs):
        raise KeyboardInterrupt("the worker died before writing 'sent'")

    monkeypatch.setattr(delivery_module, "_finish", power_cut)
    with pytest.raises(KeyboardInterrupt):
        send_due_digests("w1")
    monkeypatch.setattr(delivery_module, "_finish", real_finish)
    assert Delivery.objects.get().state == Delivery.SENDING
    assert send_due_digests("w2") == {}  # the lease still holds
    frozen.shift(dt.timedelta(seconds=settings.DIGEST_LEASE + 1))
    assert send_due_digests("w2") == {"sent": 1}
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert arxiv_ids(first) == arxiv_ids(second)


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_while_recording_sent_is_ridden_out_and_the_digest_arrives_once(
    smtp_server, papers, frozen, monkeypatch
):
    subscriber()
    real_finish = delivery_module._finish
    cuts: list[str] = []

    def restart_then_recover(delivery, state, **fields):
        if state == Delivery.SENT and not cuts:
            cuts.append(state)
            raise OperationalError("terminating connection due to administrator command")
        return real_finish(delivery, state, **fields)

    monkeypatch.setattr(delivery_module, "_finish", restart_then_recover)
    assert send_due_digests("w1") == {"sent": 1}
    assert cuts == [Delivery.SENT]
    assert Delivery.objects.get().state == Delivery.SENT
    frozen.shift(dt.timedelta(days=1))  # long past any lease: nothing is left to resend
    send_due_digests("w2")
    assert len(smtp_server.messages) == 1


def test_an_unsubscribe_after_the_claim_cancels_the_waiting_digest(smtp_server, papers, frozen):
    alice = subscriber()
    handle_one_due_subscription()
    Subscription.objects.filter(pk=alice.pk).update(status=Subscription.UNSUBSCRIBED)
    assert send_due_digests("w1") == {"cancelled": 1}
    assert not smtp_server.messages


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_every_digest_exactly_once(smtp_server, frozen):
    import_day()
    for number in range(12):
        subscriber(f"reader{number}@example.org", categories=["cs.LG", "cs.CL", "cs.CV"][number % 3 : number % 3 + 1])
    outcomes = race(lambda n: send_due_digests(f"w{n + 1}"), 2)
    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert not errors, errors
    arrived = Counter(m["To"] for m in smtp_server.messages)
    assert arrived == Counter({f"reader{n}@example.org": 1 for n in range(12)})
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.SENT}
    workers = set(Delivery.objects.values_list("claimed_by", flat=True))
    assert workers <= {"w1", "w2"}


def test_the_worker_job_sends_due_digests_on_schedule(smtp_server, papers, frozen):
    from paperfeed.jobs.kinds import ensure_default_jobs
    from paperfeed.jobs.models import Job, JobRun
    from paperfeed.jobs.worker import handle_one_job

    subscriber()
    ensure_default_jobs()
    Job.objects.exclude(kind="send-digests").delete()  # no network jobs here
    assert handle_one_job("w1")
    run = JobRun.objects.get()
    assert (run.outcome, run.message.endswith("1 sent")) == (JobRun.OK, True)
    assert len(smtp_server.messages) == 1
    assert Job.objects.get().next_run_at > NOW


def test_a_digest_that_cannot_be_built_waits_for_a_retry_and_the_batch_goes_on(
    smtp_server, papers, frozen, monkeypatch
):
    from paperfeed.digests import compose

    subscriber("alice@example.org", categories=["broken"])
    subscriber("bob@example.org")
    real = compose.matching_section

    def breaks_for_alice(subscription, *args):
        if subscription.categories == ["broken"]:
            raise ValueError("a bug")
        return real(subscription, *args)

    monkeypatch.setitem(compose.SECTIONS, "matching", breaks_for_alice)
    assert send_due_digests("w1") == {"retry": 1, "sent": 1}
    assert [m["To"] for m in smtp_server.messages] == ["bob@example.org"]
    assert "ValueError: a bug" in Delivery.objects.get(state=Delivery.RETRY).last_error
