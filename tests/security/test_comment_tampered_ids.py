"""Tampered ids in discussion forms: replying into another paper's thread, changing another
account's comment, out-of-range and non-numeric ids. Each is refused (400, 403, 404); nothing changes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from paperfeed.discussion.models import Comment
from tests.discussion_support import comment_by
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reply_to", ["abc", "-1", "0", "1e3", "9" * 30, "9" * 5000, " 1 OR 1=1", "\u00b2", "\u0661"])
def test_a_reply_to_no_real_comment_is_refused(alice: User, reply_to: str) -> None:
    paper = add_paper()
    response = signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": "hi", "reply_to": reply_to})
    assert response.status_code == 400 and not Comment.objects.exists()


def test_a_reply_cannot_move_into_another_papers_thread(alice: User, bob: User) -> None:
    here, there = add_paper(), add_paper()
    theirs = comment_by(alice, there, "over there")
    reply = comment_by(alice, here, "right here")
    assert (
        signed_in(bob).post(f"/comment/{here.arxiv_id}/", {"body": "x", "reply_to": str(theirs.pk)}).status_code == 400
    )
    assert Comment.objects.filter(parent=theirs).count() == 0 and reply.parent is None


def test_no_account_changes_another_accounts_comment_by_guessing_its_id(alice: User, bob: User) -> None:
    comment = comment_by(alice, add_paper(), "alice's words")
    mallory = signed_in(bob)
    for guess in range(comment.pk - 2, comment.pk + 3):
        assert mallory.post(f"/comments/{guess}/edit/", {"body": "bob's words"}).status_code in (403, 404)
        assert mallory.post(f"/comments/{guess}/delete/").status_code in (403, 404)
        assert mallory.post(f"/comments/{guess}/hide/").status_code in (403, 404)
    comment.refresh_from_db()
    assert (comment.body, comment.deleted, comment.hidden_by_moderator) == ("alice's words", False, False)


def test_a_deleted_comment_cannot_be_brought_back_by_editing(alice: User) -> None:
    comment = comment_by(alice, add_paper(), "gone soon")
    client = signed_in(alice)
    client.post(f"/comments/{comment.pk}/delete/")
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "back again"}).status_code == 400
    comment.refresh_from_db()
    assert comment.deleted and comment.body == ""


def test_a_banned_account_cannot_comment_with_a_session_it_still_holds(alice: User) -> None:
    paper = add_paper()
    client = signed_in(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    response = client.post(f"/comment/{paper.arxiv_id}/", {"body": "still here?"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()
