"""Rate limits under concurrent load: many requests at once, each thread with its own client and
database connection; exactly the allowed number get through and the rest get 429."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.tokens import create_token
from paperfeed.lib.models import RateEvent
from paperfeed.papers.models import Paper, Submission, Vote
from tests.conftest import race
from tests.personas import PASSWORD, add_papers, make_user

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 10


def at_once(send: Callable[[Client, int], int], count: int = REQUESTS) -> Counter[int]:
    """Run ``send(client, n)`` for n in range(count) on as many threads, released together; the statuses."""
    clients = [Client() for _ in range(count)]
    outcomes = race(lambda n: send(clients[n], n), count)
    statuses = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    assert len(statuses) == count, [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    return Counter(statuses)


def api_submissions(user: User, papers: list[Paper]) -> Callable[[Client, int], int]:
    """A sender for ``at_once``: request n submits paper n through the API with ``user``'s token."""
    _, token = create_token(user, "load")

    def submit(client: Client, number: int) -> int:
        body = {"id": papers[number].arxiv_id}
        auth = f"Bearer {token}"
        return client.post("/api/submit", body, content_type="application/json", HTTP_AUTHORIZATION=auth).status_code

    return submit


def test_concurrent_votes_past_the_limit_let_exactly_the_allowed_number_through(settings) -> None:  # type: ignore[no-untyped-def]
    settings.VOTES_PER_MINUTE = 4
    alice = make_user("alice")
    papers = add_papers(REQUESTS)

    def vote(client: Client, number: int) -> int:
        client.force_login(alice)
        return client.post(f"/vote/{papers[number].arxiv_id}/", HTTP_ACCEPT="application/json").status_code

    assert at_once(vote) == {200: 4, 429: REQUESTS - 4}
    assert Vote.objects.filter(user=alice).count() == 4
    assert RateEvent.objects.filter(action="vote").count() == 4


def test_concurrent_api_submissions_past_the_limit_let_exactly_the_allowed_number_through(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUBMISSIONS_PER_HOUR, settings.SUBMIT_DAILY_CAP = 3, 100
    alice = make_user("alice")
    papers = add_papers(REQUESTS, announced_on=None)  # their day: published yesterday
    assert at_once(api_submissions(alice, papers)) == {201: 3, 429: REQUESTS - 3}
    assert Submission.objects.filter(user=alice).count() == 3


def test_concurrent_submissions_never_pass_the_daily_cap(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUBMISSIONS_PER_HOUR, settings.SUBMIT_DAILY_CAP = 100, 3
    alice = make_user("alice")
    papers = add_papers(REQUESTS, announced_on=None)  # their day: published yesterday
    statuses = at_once(api_submissions(alice, papers))
    assert statuses[201] == 3 and sum(statuses.values()) == REQUESTS
    assert Submission.objects.filter(user=alice).count() == 3


def test_concurrent_signups_from_one_address_past_the_limit_let_exactly_the_allowed_number_through(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNUPS_PER_HOUR = 2

    def sign_up(client: Client, number: int) -> int:
        form = {
            "username": f"newcomer{number}",
            "email": f"newcomer{number}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        return client.post("/accounts/signup/", form, REMOTE_ADDR="203.0.113.9").status_code

    assert at_once(sign_up) == {302: 2, 429: REQUESTS - 2}
    assert User.objects.filter(username__startswith="newcomer").count() == 2


def test_the_limit_is_kept_per_account_so_another_user_still_gets_through(settings) -> None:  # type: ignore[no-untyped-def]
    settings.VOTES_PER_MINUTE = 2
    alice, bob = make_user("alice"), make_user("bob")
    papers = add_papers(REQUESTS)

    def vote(client: Client, number: int) -> int:
        client.force_login(alice if number % 2 else bob)
        return client.post(f"/vote/{papers[number].arxiv_id}/", HTTP_ACCEPT="application/json").status_code

    assert at_once(vote) == {200: 4, 429: REQUESTS - 4}
    assert Vote.objects.filter(user=alice).count() == Vote.objects.filter(user=bob).count() == 2
