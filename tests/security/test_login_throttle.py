"""Password guessing on the log-in pages (site and admin): locked out per account and per client
address after PAPERFEED_LOGIN_FAILURES wrong passwords, for PAPERFEED_LOGIN_COOLOFF_MINUTES."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, make_user
from tests.security.hashers import CountingHasher

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"


def log_in(username: str, password: str, address: str = ATTACKER, path: str = "/accounts/login/", **headers: str):  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)
    response.logged_in = "_auth_user_id" in client.session
    return response


def guess(username: str, times: int = 10, address: str = ATTACKER, path: str = "/accounts/login/") -> list[int]:
    return [log_in(username, f"guess {n}", address, path).status_code for n in range(times)]


def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(alice: User) -> None:
    assert guess("alice", 9) == [200] * 9  # the form again, "didn't match"
    assert guess("alice", 31)[0] == 429  # the tenth failure locked the account
    response = log_in("alice", PASSWORD)
    assert response.status_code == 429 and not response.logged_in


def test_the_lockout_page_says_what_happened_and_when_to_try_again(alice: User) -> None:
    guess("alice")
    response = log_in("alice", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "900"
    assert "Too many log-in attempts" in page and "10 wrong passwords" in page and "Try again in 15 minutes" in page


def test_a_lockout_ends_by_itself_after_the_cool_off_however_often_it_is_retried(alice: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        guess("alice")
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert log_in("alice", "still guessing").status_code == 429  # does not push the end back
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1), tick=False):
        response = log_in("alice", PASSWORD)
    assert response.status_code == 302 and response.logged_in


def test_a_few_typos_then_the_right_password_log_in(alice: User) -> None:
    guess("alice", 3)
    response = log_in("alice", PASSWORD)
    assert response.status_code == 302 and response.logged_in


def test_guessing_one_accounts_password_from_many_addresses_locks_that_account(alice: User) -> None:
    for n in range(10):
        guess("alice", 1, address=f"198.51.100.{n + 1}")
    assert log_in("alice", PASSWORD, address="192.0.2.200").status_code == 429


def test_guessing_many_accounts_passwords_from_one_address_locks_that_address(bob: User) -> None:
    for n in range(10):
        guess(f"someone{n}", 1)
    assert log_in("bob", PASSWORD).status_code == 429
    assert log_in("bob", PASSWORD, address="192.0.2.200").status_code == 302  # bob himself is not locked


def test_guessing_on_the_admin_login_page_is_throttled_too(moderator: User) -> None:
    assert guess("mod", 10, path="/admin/login/") == [200] * 9 + [429]
    response = log_in("mod", PASSWORD, path="/admin/login/")
    assert response.status_code == 429 and not response.logged_in


def test_a_locked_out_attempt_does_not_hash_the_password(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["tests.security.hashers.CountingHasher"]
    CountingHasher.hashes = 0
    guess("alice", 9)
    assert CountingHasher.hashes == 9  # every attempt before the lockout is checked
    guess("alice", 1)
    CountingHasher.hashes = 0
    assert [log_in("alice", PASSWORD).status_code for _ in range(8)] == [429] * 8
    assert [log_in("nobody", "x").status_code for _ in range(8)] == [429] * 8  # the address is locked too
    assert CountingHasher.hashes == 0


def test_behind_the_trusted_proxy_one_clients_guesses_do_not_lock_out_another(bob: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(10):
        log_in(f"someone{n}", "x", address="127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert log_in("bob", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert log_in("bob", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 302


def test_a_forged_forwarded_for_from_an_untrusted_address_does_not_escape_the_lockout(bob: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(10):
        log_in(f"someone{n}", "x", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")
    assert log_in("bob", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_force_login_is_not_throttled(alice: User) -> None:
    guess("alice")
    client = Client()
    client.force_login(User.objects.get(username="alice"))
    assert client.get("/library/").status_code == 200


def test_a_new_user_can_still_sign_in_when_another_account_is_locked(alice: User) -> None:
    guess("alice", 10, address="198.51.100.1")
    make_user("erin")
    assert log_in("erin", PASSWORD, address="192.0.2.1").status_code == 302
