"""Limits on comments: the size cap and the hourly rate (PAPERFEED_COMMENTS_PER_HOUR), with clear errors."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User

from paperfeed.discussion.models import Comment
from paperfeed.discussion.text import MAX_CHARS
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def test_a_comment_over_the_size_cap_is_refused_and_its_text_handed_back(alice: User) -> None:
    paper = add_paper()
    body = "word " * 1100
    response = signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"the comment is 5,499 characters long; at most {MAX_CHARS:,} are allowed" in html
    assert body.strip() in html and not Comment.objects.exists()


def test_an_edit_over_the_size_cap_is_refused_too(alice: User) -> None:
    paper = add_paper()
    client = signed_in(alice)
    client.post(f"/comment/{paper.arxiv_id}/", {"body": "short"})
    comment = Comment.objects.get()
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "x" * (MAX_CHARS + 1)}).status_code == 400
    comment.refresh_from_db()
    assert comment.body == "short"


def test_posts_and_edits_past_the_hourly_rate_are_refused_until_the_hour_passes(settings, alice: User) -> None:  # type: ignore[no-untyped-def]
    settings.COMMENTS_PER_HOUR = 3
    paper = add_paper()
    client = signed_in(alice)
    with time_machine.travel("2026-03-02 12:00Z", tick=False) as clock:
        for n in range(2):
            assert client.post(f"/comment/{paper.arxiv_id}/", {"body": f"comment {n}"}).status_code == 302
        first = Comment.objects.earliest("pk")
        assert client.post(f"/comments/{first.pk}/edit/", {"body": "edited"}).status_code == 302
        refused = client.post(f"/comment/{paper.arxiv_id}/", {"body": "one too many"})
        assert refused.status_code == 429
        assert "too many comments: at most 3 per hour; try again later" in refused.content.decode()
        assert client.post(f"/comments/{first.pk}/edit/", {"body": "again"}).status_code == 429
        assert client.post(f"/comments/{first.pk}/delete/").status_code == 302  # deleting is never held back
        clock.shift(3601)
        assert client.post(f"/comment/{paper.arxiv_id}/", {"body": "an hour later"}).status_code == 302
    assert Comment.objects.count() == 3


def test_the_rate_is_per_account(settings, alice: User, bob: User) -> None:  # type: ignore[no-untyped-def]
    settings.COMMENTS_PER_HOUR = 1
    paper = add_paper()
    assert signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": "mine"}).status_code == 302
    assert signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": "more"}).status_code == 429
    assert signed_in(bob).post(f"/comment/{paper.arxiv_id}/", {"body": "bob's"}).status_code == 302
