"""Whole pages cached for anonymous visitors (paperfeed/papers/caching.py), in the database cache."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from paperfeed.papers.models import Vote
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def test_a_repeated_anonymous_visit_costs_two_queries(client: Client) -> None:
    """The store's version, then the page from the shared database cache."""
    add_paper()
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")
    assert second.content == first.content and len(queries) == 2


def test_a_stored_paper_shows_at_once(client: Client) -> None:
    add_paper(title="First")
    client.get("/")
    add_paper(title="Second")
    assert "Second" in client.get("/").content.decode()


def test_signed_in_visitors_see_their_vote_at_once(client: Client, alice: User) -> None:
    paper = add_paper(upvotes=1)
    client.get("/")
    Vote.objects.create(user=alice, paper=paper, created_at=paper.changed_at)
    assert '<span class="count">2</span>' in signed_in(alice).get("/").content.decode()


def test_the_cache_can_be_turned_off(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_CACHE_SECONDS = 0
    add_paper()
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) > 1
