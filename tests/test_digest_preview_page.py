"""The preview page and the "send me this digest now" button, reached from the manage page's
signed link: GET changes nothing, the button only queues a Delivery that the worker sends."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from paperfeed.digests import tokens
from paperfeed.digests.delivery import send_due_digests
from paperfeed.digests.models import DeliveredPaper, Delivery
from paperfeed.digests.on_demand import SEND_NOW_PER_DAY
from tests.conftest import import_day
from tests.digest_support import SLOT, body, subscriber

pytestmark = pytest.mark.django_db

NOW = SLOT + dt.timedelta(minutes=5)
TOMORROW = SLOT + dt.timedelta(hours=23)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alice(frozen):
    """A new subscriber whose first digest is 23 hours away."""
    import_day()
    return subscriber("alice@example.org", categories=["cs.CL"], next_digest_at=TOMORROW)


def manage_path(subscription) -> str:
    return f"/subscribe/manage/{tokens.make_token(subscription, tokens.MANAGE)}/"


def test_the_manage_page_links_to_the_preview_and_has_the_send_now_button(client, alice):
    page = client.get(manage_path(alice)).content.decode()
    assert f'href="{manage_path(alice)}preview/"' in page
    assert f'action="{manage_path(alice)}send-now/"' in page and "Send me this digest now" in page


def test_the_preview_shows_the_digest_that_would_be_sent_now_and_changes_nothing(client, alice, smtp_server):
    page = client.get(f"{manage_path(alice)}preview/")
    assert page.status_code == 200
    assert "paperfeed: " in page.content.decode() and "new papers, " in page.content.decode()
    framed = client.get(f"{manage_path(alice)}preview/email/")
    assert framed.status_code == 200 and framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "script-src 'none'" in framed["Content-Security-Policy"]  # nothing runs in it
    html = framed.content.decode()
    assert "https://arxiv.org/abs/" in html and "padding: 0 16px" in html
    assert not Delivery.objects.exists() and not DeliveredPaper.objects.exists() and not smtp_server.messages
    alice.refresh_from_db()
    assert alice.next_digest_at == TOMORROW
    client.post(f"{manage_path(alice)}send-now/")
    send_due_digests("worker")
    [message] = smtp_server.messages
    sent = body(message, "html")
    assert sent.splitlines() == html.splitlines()  # the very email: papers, words, styles and links


def test_a_bad_or_other_purpose_token_is_a_404_and_a_get_of_send_now_changes_nothing(client, alice):
    assert client.get("/subscribe/manage/not-a-token/preview/").status_code == 404
    unsubscribe = tokens.make_token(alice, tokens.UNSUBSCRIBE)
    assert client.get(f"/subscribe/manage/{unsubscribe}/preview/email/").status_code == 404
    assert client.post(f"/subscribe/manage/{unsubscribe}/send-now/").status_code == 404
    assert client.get(f"{manage_path(alice)}send-now/").status_code == 405
    assert not Delivery.objects.exists()


def test_send_now_needs_the_pages_csrf_token(alice):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{manage_path(alice)}send-now/").status_code == 403
    assert not Delivery.objects.exists()


def test_send_now_only_queues_the_digest_and_the_worker_sends_it_keeping_the_schedule(client, alice, smtp_server):
    response = client.post(f"{manage_path(alice)}send-now/")
    assert response.status_code == 200 and "On its way" in response.content.decode()
    assert not smtp_server.messages  # no SMTP inside the request
    row = Delivery.objects.get()
    assert (row.state, row.period, row.scheduled_for) == (Delivery.PENDING, f"now-{int(NOW.timestamp())}", NOW)
    assert send_due_digests("worker") == {"sent": 1}
    [message] = smtp_server.messages
    row.refresh_from_db()
    assert (row.state, row.message_id) == (Delivery.SENT, message["Message-ID"])
    assert DeliveredPaper.objects.filter(delivery=row).count() == len(row.paper_ids) > 0
    alice.refresh_from_db()
    assert alice.next_digest_at == TOMORROW


def test_send_now_waits_for_the_worker_before_another_and_allows_a_few_a_day(client, alice, frozen, smtp_server):
    send_now = f"{manage_path(alice)}send-now/"
    assert client.post(send_now).status_code == 200
    frozen.shift(dt.timedelta(seconds=5))
    refused = client.post(send_now)
    assert refused.status_code == 429 and "still on its way" in refused.content.decode()
    for _ in range(SEND_NOW_PER_DAY - 1):
        send_due_digests("worker")
        DeliveredPaper.objects.all().delete()  # as if new papers had come: an empty digest is refused
        frozen.shift(dt.timedelta(minutes=10))
        assert client.post(send_now).status_code == 200
    send_due_digests("worker")
    DeliveredPaper.objects.all().delete()
    frozen.shift(dt.timedelta(minutes=10))
    capped = client.post(send_now)
    assert capped.status_code == 429 and f"at most {SEND_NOW_PER_DAY}" in capped.content.decode()
    assert Delivery.objects.count() == SEND_NOW_PER_DAY
    frozen.shift(dt.timedelta(days=1))
    assert client.post(send_now).status_code == 200


def test_an_unsubscribed_address_has_no_send_now(client, alice):
    alice.status = "unsubscribed"
    alice.save()
    assert "Send me this digest now" not in client.get(manage_path(alice)).content.decode()
    assert client.post(f"{manage_path(alice)}send-now/").status_code == 429
    assert not Delivery.objects.exists()
