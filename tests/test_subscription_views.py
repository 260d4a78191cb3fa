"""Subscribe, confirm (double opt-in), manage and unsubscribe: pages reached from real emails."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from paperfeed.digests import tokens
from paperfeed.digests.delivery import send_due_digests
from paperfeed.digests.models import Delivery, Subscription
from paperfeed.lib.mail import send_queued_mail
from tests.conftest import import_day
from tests.digest_support import body, links, local_path, subscriber

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
FORM = {
    "email": "Alice@Example.org",
    "frequency": "daily",
    "timezone": "Europe/Berlin",
    "send_hour": "8",
    "send_weekday": "0",
    "categories": "cs.LG, cs.CL",
    "authors": "",
    "include_keywords": "",
    "exclude_keywords": "",
    "saved_searches": "",
    "trending_count": "0",
}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def subscribe(client: Client, **changes: str) -> None:
    """Post the form, then let the worker's send-mail step send what the request queued."""
    response = client.post("/subscribe/", {**FORM, **changes})
    assert response.status_code == 200, response.content.decode()
    assert b"Check your inbox" in response.content
    send_queued_mail()


def test_subscribing_sends_only_a_confirmation_email_with_a_working_link(client, smtp_server, frozen):
    subscribe(client)
    [message] = smtp_server.messages
    assert message["To"] == "alice@example.org"
    assert "Confirm" in message["Subject"]
    assert "List-Unsubscribe" not in message
    confirm = local_path(links(message)[0])
    assert confirm in body(message, "html")
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.PENDING
    assert subscription.categories == ["cs.LG", "cs.CL"]


def test_nothing_but_the_confirmation_is_sent_until_the_link_is_followed(client, smtp_server, frozen):
    import_day()
    subscribe(client)
    Subscription.objects.update(next_digest_at=timezone.now() - dt.timedelta(hours=1))
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        send_due_digests("w1")
    assert len(smtp_server.messages) == 1
    assert not Delivery.objects.exists()


def test_the_confirm_link_asks_first_and_confirms_on_post_scheduling_the_local_hour(client, smtp_server, frozen):
    subscribe(client)
    confirm = local_path(links(smtp_server.messages[0])[0])
    page = client.get(confirm)
    assert page.status_code == 200 and b"<form" in page.content
    assert Subscription.objects.get().status == Subscription.PENDING  # link scanners only GET
    response = client.post(confirm)
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.ACTIVE
    # 08:00 in Berlin (CET, UTC+1) the next day
    assert subscription.next_digest_at == dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_subscribing_again_with_the_same_address_changes_nothing_but_resends_the_email(client, smtp_server, frozen):
    subscriber("alice@example.org", categories=["math.CO"])
    subscribe(client)
    assert Subscription.objects.get().categories == ["math.CO"]
    assert len(smtp_server.messages) == 1


def test_a_bad_address_or_time_zone_is_refused_with_the_form_again(client, smtp_server, frozen):
    response = client.post("/subscribe/", {**FORM, "email": "not-an-address", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert b"unknown time zone" in response.content
    assert not Subscription.objects.exists() and not smtp_server.messages


def test_the_manage_page_works_without_logging_in_and_reschedules(client, frozen):
    alice = subscriber(next_digest_at=dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC))
    url = f"/subscribe/manage/{tokens.make_token(alice, tokens.MANAGE)}/"
    assert b"cs.LG" in client.get(url).content
    changes = {**FORM, "frequency": "weekly", "send_weekday": "4", "timezone": "America/New_York", "send_hour": "6"}
    changes.update(categories="cs.CV", authors="Yann LeCun", exclude_keywords="survey", trending_count="5")
    response = client.post(url, changes)
    assert response.status_code == 200 and b"Saved" in response.content
    alice.refresh_from_db()
    assert (alice.frequency, alice.categories, alice.authors) == ("weekly", ["cs.CV"], ["Yann LeCun"])
    assert alice.exclude_keywords == ["survey"] and alice.trending_count == 5
    # Friday 6 March 2026, 06:00 in New York (EST, UTC-5)
    assert alice.next_digest_at == dt.datetime(2026, 3, 6, 11, 0, tzinfo=dt.UTC)


def test_unsubscribe_asks_on_get_and_unsubscribes_on_post(client, frozen):
    alice = subscriber()
    url = f"/subscribe/unsubscribe/{tokens.make_token(alice, tokens.UNSUBSCRIBE)}/"
    assert b"<form" in client.get(url).content
    alice.refresh_from_db()
    assert alice.status == Subscription.ACTIVE
    assert b"Unsubscribed" in client.post(url).content
    alice.refresh_from_db()
    assert alice.status == Subscription.UNSUBSCRIBED and alice.next_digest_at is None


def test_the_one_click_endpoint_needs_no_csrf_token_but_the_unsubscribe_page_does(frozen):
    alice, bob = subscriber(), subscriber("bob@example.org")
    strict = Client(enforce_csrf_checks=True)
    page = f"/subscribe/unsubscribe/{tokens.make_token(bob, tokens.UNSUBSCRIBE)}/"
    assert strict.post(page).status_code == 403
    one_click = f"/subscribe/one-click/{tokens.make_token(alice, tokens.UNSUBSCRIBE)}/"
    response = strict.post(one_click, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.status == Subscription.UNSUBSCRIBED
    assert bob.status == Subscription.ACTIVE


def test_a_link_is_refused_when_tampered_with_used_for_another_purpose_or_its_secret_changed(client, frozen):
    alice = subscriber()
    manage = tokens.make_token(alice, tokens.MANAGE)
    assert client.get(f"/subscribe/manage/{manage}x/").status_code == 404
    assert client.post(f"/subscribe/one-click/{manage}/").status_code == 404
    Subscription.objects.filter(pk=alice.pk).update(secret="new-secret")
    assert client.get(f"/subscribe/manage/{manage}/").status_code == 404
    alice.refresh_from_db()
    assert alice.status == Subscription.ACTIVE


def test_a_confirmation_link_expires_after_a_week(client, frozen):
    bob = subscriber("bob@example.org", status=Subscription.PENDING, next_digest_at=None)
    url = f"/subscribe/confirm/{tokens.make_token(bob, tokens.CONFIRM)}/"
    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        assert client.post(url).status_code == 404
    bob.refresh_from_db()
    assert bob.status == Subscription.PENDING


def test_a_logged_in_user_subscribes_from_their_account_with_the_address_prefilled(client, smtp_server, frozen):
    from django.contrib.auth.models import User

    bob = User.objects.create_user("bob", "bob@example.org", "pw")
    client.force_login(bob)
    assert b'value="bob@example.org"' in client.get("/subscribe/").content
    subscribe(client, email="bob@example.org", recommendations="on")
    subscription = Subscription.objects.get()
    assert (subscription.user, subscription.recommendations) == (bob, True)
    assert subscription.status == Subscription.PENDING  # an account still confirms by email
