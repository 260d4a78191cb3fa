"""Mail is never a weapon: nobody can make the site flood an address, no web request talks to
SMTP, SMTP's words never reach a visitor, and old links die (tests named after each attack)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from paperfeed.digests import links as email_links
from paperfeed.digests.models import Subscription
from paperfeed.jobs.kinds import DEFAULT_JOBS, KINDS
from paperfeed.lib.mail import send_queued_mail
from paperfeed.lib.models import OutboundMail
from tests.conftest import race
from tests.digest_support import links, local_path, subscriber
from tests.personas import make_user

pytestmark = pytest.mark.django_db

FORM = {
    "email": "victim@example.org",
    "frequency": "daily",
    "timezone": "UTC",
    "send_hour": "8",
    "send_weekday": "0",
    "categories": "cs.LG",
    "trending_count": "0",
}


def subscribe(client: Client, **changes: str) -> None:
    response = client.post("/subscribe/", {**FORM, **changes})
    assert response.status_code == 200 and b"Check your inbox" in response.content


def test_twenty_subscribe_posts_for_one_address_queue_one_mail_while_it_waits(client, smtp_server):
    for _ in range(20):
        subscribe(client)
    assert OutboundMail.objects.filter(to="victim@example.org").count() == 1
    send_queued_mail()
    assert len(smtp_server.messages) == 1


def test_one_address_gets_at_most_three_mails_of_a_kind_a_day(client, smtp_server, settings):
    settings.MAIL_PER_CLIENT = 1000
    for _ in range(20):
        subscribe(client)
        send_queued_mail()  # each time the last one has gone, another may be queued, up to the limit
    assert len(smtp_server.messages) == settings.MAIL_PER_RECIPIENT == 3
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)):
        subscribe(client)
        send_queued_mail()
    assert len(smtp_server.messages) == 4, "the limit is per 24 hours and ends by itself"


def test_fifteen_password_reset_posts_send_at_most_three_reset_emails(client, smtp_server, settings):
    settings.MAIL_PER_CLIENT = 1000
    make_user("victim")
    for _ in range(15):
        assert client.post("/accounts/password-reset/", {"email": "victim@example.org"}).status_code == 302
        send_queued_mail()
    assert len(smtp_server.messages) == 3


def test_one_client_cannot_make_the_site_mail_many_addresses(client, smtp_server, settings):
    for n in range(settings.MAIL_PER_CLIENT + 5):
        subscribe(client, email=f"stranger{n}@example.org")  # the same page every time
    send_queued_mail()
    assert len(smtp_server.messages) == settings.MAIL_PER_CLIENT


@pytest.mark.django_db(transaction=True)
def test_racing_subscribe_posts_for_one_address_queue_one_mail(smtp_server):
    answers = race(lambda n: Client().post("/subscribe/", FORM).status_code, 8)
    assert answers == [200] * 8
    assert OutboundMail.objects.filter(to="victim@example.org").count() == 1


def test_an_active_subscriber_gets_only_its_manage_link_not_a_new_confirmation(client, smtp_server):
    subscriber("victim@example.org")
    subscribe(client)
    send_queued_mail()
    [message] = smtp_server.messages
    assert "already subscribed" in message.get_body(("plain",)).get_content()
    assert Subscription.objects.get().status == Subscription.ACTIVE


def test_no_web_request_talks_to_smtp_and_a_dead_server_shows_visitors_nothing(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = client.post("/subscribe/", FORM)
    assert response.status_code == 200 and b"Check your inbox" in response.content
    assert b"Connection" not in response.content and b"refused" not in response.content
    assert send_queued_mail() == {"pending": 1}  # the worker retries it later
    mail = OutboundMail.objects.get()
    assert mail.attempts == 1 and "ConnectionRefusedError" in mail.last_error


def test_smtp_error_text_never_reaches_the_subscribe_page(client, smtp_server):
    smtp_server.refuse["victim@example.org"] = "550 5.1.1 internal relay secret-host-42 refuses"
    response = client.post("/subscribe/", FORM)
    assert b"secret-host-42" not in response.content
    assert send_queued_mail() == {"failed": 1}
    assert b"secret-host-42" not in client.get("/subscribe/").content


def test_an_old_confirmation_link_cannot_start_digests_again_after_unsubscribing(client, smtp_server):
    subscribe(client)
    send_queued_mail()
    confirm = local_path(links(smtp_server.messages[0])[0])
    manage = client.post(confirm)["Location"]
    assert Subscription.objects.get().status == Subscription.ACTIVE
    one_click = local_path(email_links.one_click_url(Subscription.objects.get()))
    assert client.post(one_click).status_code == 200
    assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED
    assert client.post(confirm).status_code == 404, "the secret changed: every earlier link is dead"
    assert client.get(manage).status_code == 404
    assert client.post(one_click).status_code == 404
    assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED


def test_manage_links_expire(client, smtp_server, settings):
    subscription = subscriber("victim@example.org")
    manage = local_path(email_links.manage_url(subscription))
    assert client.get(manage).status_code == 200
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.MANAGE_LINK_DAYS, hours=1)
    with time_machine.travel(later):
        assert client.get(manage).status_code == 404
    one_click = local_path(email_links.one_click_url(subscription))
    with time_machine.travel(later):
        assert client.post(one_click).status_code == 200, "unsubscribing keeps working"


def test_links_in_emails_come_from_the_site_url_never_from_the_host_header(client, smtp_server, settings):
    settings.SITE_URL = "https://papers.example.org"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    make_user("victim")
    client.post("/accounts/password-reset/", {"email": "victim@example.org"}, HTTP_HOST="evil.example")
    client.post("/subscribe/", FORM, HTTP_HOST="evil.example")
    send_queued_mail()
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        text = message.get_body(("plain",)).get_content()
        assert "evil.example" not in text and "https://papers.example.org/" in text


def test_a_mail_whose_worker_died_mid_send_is_sent_again_with_the_same_message_id(client, smtp_server):
    subscribe(client)
    mail = OutboundMail.objects.get()
    OutboundMail.objects.filter(pk=mail.pk).update(
        state=OutboundMail.SENDING, lease_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1), attempts=1
    )
    assert send_queued_mail() == {"sent": 1}
    [message] = smtp_server.messages
    assert message["Message-ID"] == mail.headers["Message-ID"]


def test_the_worker_sends_the_outbox_every_few_seconds():
    kind = KINDS[DEFAULT_JOBS["send-queued-mail"][0]]
    now = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert kind.next_run_at(now) - now <= dt.timedelta(seconds=10)
    assert settings.MAIL_PER_RECIPIENT == 3


def test_an_address_shared_by_several_accounts_gets_one_reset_email_with_every_accounts_link(client, smtp_server):
    from django.contrib.auth.models import User

    from tests.personas import PASSWORD

    for name in ("first", "second"):
        User.objects.create_user(name, "shared@example.org", PASSWORD)
    client.post("/accounts/password-reset/", {"email": "shared@example.org"})
    assert send_queued_mail() == {"sent": 1}
    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    assert "account first" in text and "account second" in text
    assert text.count("/accounts/reset/") == 2
