"""Flooding the discussion: one account posting as fast as it can, in a loop and all at once.
The hourly rate (PAPERFEED_COMMENTS_PER_HOUR) lets exactly the allowed number through."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.discussion.models import Comment
from tests.conftest import race
from tests.personas import add_paper, make_user, signed_in


@pytest.mark.django_db
def test_a_bounded_flood_from_one_account_stores_only_the_hourly_allowance(settings, alice: User) -> None:  # type: ignore[no-untyped-def]
    paper = add_paper()
    client = signed_in(alice)
    statuses = Counter(
        client.post(f"/comment/{paper.arxiv_id}/", {"body": f"flood {n}"}).status_code for n in range(100)
    )
    assert statuses == {302: settings.COMMENTS_PER_HOUR, 429: 100 - settings.COMMENTS_PER_HOUR}
    assert Comment.objects.count() == settings.COMMENTS_PER_HOUR


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_past_the_rate_let_exactly_the_allowed_number_through(settings) -> None:  # type: ignore[no-untyped-def]
    settings.COMMENTS_PER_HOUR = 3
    paper, user = add_paper(), make_user("flooder")
    clients = [Client() for _ in range(8)]
    for client in clients:
        client.force_login(user)
    outcomes = race(lambda n: clients[n].post(f"/comment/{paper.arxiv_id}/", {"body": f"at once {n}"}).status_code, 8)
    assert Counter(outcomes) == {302: 3, 429: 5}
    assert Comment.objects.count() == 3
