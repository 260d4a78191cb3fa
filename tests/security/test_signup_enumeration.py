"""Probing sign-up for who has an account: an email address is never confirmed or denied, and
every sign-up POST counts against the client's limit before the form is read."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def page(html: bytes, *names: str) -> str:
    """The page with its CSRF token and the given names blanked, to compare two answers."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())
    for name in names:
        text = text.replace(name, "NAME")
    return text


def sign_up(username: str, email: str, password: str = PASSWORD, client: Client | None = None):  # type: ignore[no-untyped-def]
    form = {"username": username, "email": email, "password1": password, "password2": password}
    return (client or Client()).post("/accounts/signup/", form, REMOTE_ADDR="203.0.113.5")


def test_signing_up_with_a_taken_email_answers_exactly_like_a_fresh_one(alice: User) -> None:
    fresh, taken = Client(), Client()
    fresh_answer = sign_up("dora", "dora@example.org", client=fresh)
    taken_answer = sign_up("erin", "Alice@Example.org", client=taken)
    assert (taken_answer.status_code, taken_answer["Location"]) == (fresh_answer.status_code, fresh_answer["Location"])
    assert taken_answer.content == fresh_answer.content
    assert page(taken.get("/").content, "erin") == page(fresh.get("/").content, "dora")
    assert User.objects.get(username="erin").check_password(PASSWORD)  # a real account, usable like any other


def test_a_taken_email_with_a_bad_form_gets_the_same_errors_as_a_fresh_one(alice: User) -> None:
    fresh = sign_up("dora", "dora@example.org", password="123")
    taken = sign_up("dora", "alice@example.org", password="123")
    assert taken.status_code == fresh.status_code == 400
    assert page(taken.content, "alice@example.org") == page(fresh.content, "dora@example.org")


def test_a_taken_user_name_is_reported_since_user_names_are_public(alice: User) -> None:
    response = sign_up("alice", "someone@example.org")
    assert response.status_code == 400 and "A user with that username already exists" in response.content.decode()


def test_failed_sign_ups_count_against_the_limit_so_probing_stops_at_it(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNUPS_PER_HOUR = 2
    assert [sign_up("alice", f"probe{n}@example.org").status_code for n in range(2)] == [400, 400]
    limited = sign_up("alice", "probe3@example.org")
    assert limited.status_code == 429 and "already exists" not in limited.content.decode()
    assert "try again later" in limited.content.decode()


def test_a_rate_limited_sign_up_creates_no_account(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNUPS_PER_HOUR = 1
    assert sign_up("dora", "dora@example.org").status_code == 302
    assert sign_up("erin", "erin@example.org").status_code == 429
    assert not User.objects.filter(username="erin").exists()
