"""Limits per real client behind the documented reverse proxy (PAPERFEED_TRUSTED_PROXIES): one
client's sign-ups do not use up everyone's, and a forged X-Forwarded-For buys nothing."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.personas import PASSWORD, add_paper, signed_in

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"
_numbers = itertools.count()


def sign_up(address: str, forwarded_for: str | None = None) -> int:
    n = next(_numbers)
    form = {"username": f"user{n}", "email": f"user{n}@example.org", "password1": PASSWORD, "password2": PASSWORD}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return int(Client().post("/accounts/signup/", form, REMOTE_ADDR=address, **headers).status_code)


@pytest.fixture
def behind_the_proxy(settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SIGNUPS_PER_HOUR = 2
    return settings


def test_behind_the_trusted_proxy_one_clients_sign_ups_do_not_lock_sign_up_for_everyone(behind_the_proxy) -> None:  # type: ignore[no-untyped-def]
    assert [sign_up(PROXY, "203.0.113.1") for _ in range(3)] == [302, 302, 429]
    assert sign_up(PROXY, "203.0.113.2") == 302
    assert sign_up(PROXY, "198.51.100.9, 203.0.113.3") == 302  # the right-most untrusted hop counts


def test_a_forged_forwarded_for_from_an_untrusted_address_is_ignored(behind_the_proxy) -> None:  # type: ignore[no-untyped-def]
    codes = [sign_up("198.51.100.7", f"203.0.113.{n}") for n in range(3)]
    assert codes == [302, 302, 429]


def test_a_client_cannot_dodge_the_limit_by_prepending_to_the_proxys_header(behind_the_proxy) -> None:  # type: ignore[no-untyped-def]
    codes = [sign_up(PROXY, f"192.0.2.{n}, 203.0.113.1") for n in range(3)]
    assert codes == [302, 302, 429]


def test_without_trusted_proxies_the_forwarded_for_header_is_never_believed(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNUPS_PER_HOUR = 1
    assert [sign_up(PROXY, f"203.0.113.{n}") for n in range(2)] == [302, 429]


def test_behind_the_proxy_votes_are_limited_per_account_not_per_proxy_address(
    behind_the_proxy, alice: User, bob: User
) -> None:  # type: ignore[no-untyped-def]
    behind_the_proxy.VOTES_PER_MINUTE = 1
    papers = [add_paper(), add_paper()]
    for user in (alice, bob):
        client = signed_in(user)
        codes = [
            client.post(f"/vote/{paper.arxiv_id}/", HTTP_ACCEPT="application/json", REMOTE_ADDR=PROXY).status_code
            for paper in papers
        ]
        assert codes == [200, 429]
