"""Named people and small paper factories for the site's tests (loaded by tests/conftest.py).

alice, bob and charlie are ordinary signed-up users; ``moderator`` is staff. ``add_paper``
makes one stored paper with keyword defaults. The data fixtures (``data_dir``, ``real_day``)
are in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from paperfeed.papers.models import Paper
from paperfeed.papers.records import make_record
from paperfeed.papers.store import upsert_records

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(username: str, **fields: Any) -> User:
    return User.objects.create_user(username, f"{username}@example.org", PASSWORD, **fields)


def add_paper(arxiv_id: str | None = None, title: str = "A paper", **fields: Any) -> Paper:
    """Store one paper through the real upsert path; ``fields`` are PaperRecord fields."""
    arxiv_id = arxiv_id or f"2603.{90000 + next(_numbers):05d}"
    defaults: dict[str, Any] = {
        "abstract": "We study things.",
        "authors": ["Ada Lovelace", "Alan Turing"],
        "categories": ["cs.LG"],
        "announced_on": dt.date(2026, 3, 2),
        "published": timezone.now() - dt.timedelta(days=1),
    }
    upsert_records([make_record(arxiv_id, title, **{**defaults, **fields})], source="test")
    return Paper.objects.get(arxiv_id=arxiv_id)


def add_papers(count: int, **fields: Any) -> list[Paper]:
    return [add_paper(title=f"Paper number {n}", **fields) for n in range(count)]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob")


@pytest.fixture
def charlie(db: None) -> User:
    return make_user("charlie")


@pytest.fixture
def moderator(db: None) -> User:
    return make_user("mod", is_staff=True, is_superuser=True)
