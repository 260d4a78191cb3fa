"""Accounts: sign up, log in, log out, password reset by email (a real SMTP server), bans, rate limits."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.admin import ban
from paperfeed.lib.mail import send_queued_mail
from tests.personas import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def sign_up(client: Client, username: str = "dora", email: str = "dora@example.org") -> int:
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return int(client.post("/accounts/signup/", data).status_code)


def test_signing_up_creates_the_account_and_logs_in(client: Client) -> None:
    assert sign_up(client) == 302
    assert User.objects.get(username="dora").email == "dora@example.org"
    assert "Log out" in client.get("/").content.decode()


def test_an_email_address_already_in_use_gets_another_account_so_sign_up_never_reveals_it(
    client: Client, alice: User
) -> None:
    assert sign_up(client, email="ALICE@example.org") == 302  # tests/security/test_signup_enumeration.py
    sharing = User.objects.filter(email="alice@example.org").values_list("username", flat=True)
    assert sorted(sharing) == ["alice", "dora"]


def test_sign_ups_are_rate_limited_by_address(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNUPS_PER_HOUR = 2
    codes = [sign_up(Client(), f"user{n}", f"user{n}@example.org") for n in range(3)]
    assert codes == [302, 302, 429]
    assert User.objects.count() == 2


def test_logging_in_and_out(client: Client, alice: User) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/about/"})
    assert response["Location"] == "/about/"
    assert client.get("/logout-check/").status_code == 404  # no such page: logging out is a POST
    assert client.post("/accounts/logout/").status_code == 302
    assert "Log in" in client.get("/about/").content.decode()


def test_logging_out_by_get_does_nothing(alice: User) -> None:
    client = signed_in(alice)
    assert client.get("/accounts/logout/").status_code == 405
    assert "Log out" in client.get("/about/").content.decode()


def test_a_banned_user_cannot_log_in_and_is_logged_out(alice: User) -> None:
    client = signed_in(alice)
    ban(User.objects.filter(pk=alice.pk))
    assert "Log out" not in client.get("/about/").content.decode()
    response = Client().post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200 and "not active" in response.content.decode()


def test_a_password_reset_arrives_by_email_and_its_link_sets_a_new_password(
    client: Client, alice: User, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert smtp_server.messages == []  # the request only queued it: the worker sends
    assert send_queued_mail() == {"sent": 1}
    [message] = smtp_server.messages
    assert message["To"] == "alice@example.org" and message["Subject"] == "Reset your paperfeed password"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", text)
    assert link is not None and link.group(1) in html
    form_page = client.get(link.group(1), follow=True)
    set_password = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    done = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/reset/done/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client: Client, smtp_server) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert send_queued_mail() == {}
    assert smtp_server.messages == []
