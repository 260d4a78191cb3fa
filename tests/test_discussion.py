"""The discussion under a paper (discussion/views.py, services.py, thread.py): posting, replying,
editing and deleting one's own comments, moderators hiding them, banned accounts, hidden papers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from paperfeed.accounts.admin import ban
from paperfeed.discussion.models import Comment
from paperfeed.papers.models import Paper
from tests.discussion_support import comment_by
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def post(client: Client, paper: Paper, body: str, reply_to: int | None = None):  # type: ignore[no-untyped-def]
    data = {"body": body} if reply_to is None else {"body": body, "reply_to": str(reply_to)}
    return client.post(f"/comment/{paper.arxiv_id}/", data)


def page(paper: Paper, client: Client | None = None) -> str:
    response = (client or Client()).get(f"/paper/{paper.arxiv_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_signed_in_user_comments_and_lands_on_the_comment(alice: User) -> None:
    paper = add_paper()
    response = post(signed_in(alice), paper, "Does Table 2 use the same seeds?")
    comment = Comment.objects.get()
    assert response["Location"] == f"/paper/{paper.arxiv_id}/#comment-{comment.pk}"
    assert (comment.author, comment.paper, comment.parent) == (alice, paper, None)
    html = page(paper)
    assert f'id="comment-{comment.pk}"' in html and "Does Table 2 use the same seeds?" in html
    assert "Discussion (1)" in html and "alice" in html


def test_anonymous_visitors_are_asked_to_log_in_and_get_no_form(client: Client) -> None:
    paper = add_paper()
    response = client.post(f"/comment/{paper.arxiv_id}/", {"body": "hello"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()
    html = page(paper, client)
    assert "to join the discussion" in html and 'name="body"' not in html


def test_changes_are_post_only(alice: User) -> None:
    paper = add_paper()
    comment = comment_by(alice, paper)
    client = signed_in(alice)
    assert client.get(f"/comment/{paper.arxiv_id}/?body=hi").status_code == 405
    assert client.get(f"/comments/{comment.pk}/delete/").status_code == 405
    assert Comment.objects.count() == 1 and not Comment.objects.get().deleted


def test_forms_need_the_csrf_token(alice: User) -> None:
    paper = add_paper()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(f"/comment/{paper.arxiv_id}/", {"body": "hello"}).status_code == 403
    assert not Comment.objects.exists()


def test_a_reply_goes_under_the_comment_it_answers(alice: User, bob: User) -> None:
    paper = add_paper()
    top = comment_by(alice, paper, "First!")
    reply = comment_by(bob, paper, "Second.", reply_to=top.pk)
    assert reply.parent == top
    html = page(paper)
    assert html.index("First!") < html.index('<ol class="replies">') < html.index("Second.")


def test_a_reply_to_a_reply_joins_the_top_comment_so_threads_stay_one_level_deep(
    alice: User, bob: User, charlie: User
) -> None:
    paper = add_paper()
    top = comment_by(alice, paper, "Top")
    reply = comment_by(bob, paper, "Reply", reply_to=top.pk)
    deeper = comment_by(charlie, paper, "Reply to the reply", reply_to=reply.pk)
    assert deeper.parent_id == top.pk
    assert page(paper).count('<ol class="replies">') == 1


def test_a_reply_to_a_comment_under_another_paper_is_refused(alice: User, bob: User) -> None:
    first, second = add_paper(), add_paper()
    elsewhere = comment_by(alice, first, "On the first paper")
    response = post(signed_in(bob), second, "Sneaky", reply_to=elsewhere.pk)
    assert response.status_code == 400
    assert f"there is no comment {elsewhere.pk} under {second.arxiv_id}" in response.content.decode()
    assert "Sneaky" in response.content.decode()  # the text comes back in the form, not lost
    assert Comment.objects.count() == 1


def test_authors_edit_their_own_comments(alice: User) -> None:
    paper = add_paper()
    comment = comment_by(alice, paper, "Teh typo")
    client = signed_in(alice)
    form = client.get(f"/comments/{comment.pk}/edit/")
    assert form.status_code == 200 and "Teh typo" in form.content.decode()
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "The typo, fixed"})
    assert response["Location"] == f"/paper/{paper.arxiv_id}/#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "The typo, fixed" and comment.edited_at is not None
    html = page(paper)
    assert "The typo, fixed" in html and "Teh typo" not in html and "edited" in html


def test_nobody_else_edits_or_deletes_a_comment(alice: User, bob: User, moderator: User) -> None:
    comment = comment_by(alice, add_paper(), "Mine")
    for user in (bob, moderator):
        client = signed_in(user)
        assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
        assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Yours now"}).status_code == 403
        assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.deleted


def test_the_page_offers_edit_and_delete_only_on_ones_own_comments(alice: User, bob: User) -> None:
    paper = add_paper()
    comment = comment_by(alice, paper)
    assert f"/comments/{comment.pk}/edit/" in page(paper, signed_in(alice))
    bobs_view = page(paper, signed_in(bob))
    assert f"/comments/{comment.pk}/edit/" not in bobs_view and f"/comments/{comment.pk}/delete/" not in bobs_view
    assert f'name="reply_to" value="{comment.pk}"' in bobs_view


def test_a_deleted_comment_without_replies_is_gone(alice: User) -> None:
    paper = add_paper()
    comment = comment_by(alice, paper, "Regrettable")
    assert signed_in(alice).post(f"/comments/{comment.pk}/delete/").status_code == 302
    comment.refresh_from_db()
    assert comment.deleted and comment.body == "" and comment.html == ""
    html = page(paper)
    assert "Regrettable" not in html and f'id="comment-{comment.pk}"' not in html and "No comments yet." in html


def test_a_deleted_comment_with_replies_reads_deleted_and_the_replies_stay(alice: User, bob: User) -> None:
    paper = add_paper()
    top = comment_by(alice, paper, "Regrettable")
    comment_by(bob, paper, "I disagree", reply_to=top.pk)
    signed_in(alice).post(f"/comments/{top.pk}/delete/")
    html = page(paper)
    assert "[deleted]" in html and "Regrettable" not in html and "I disagree" in html
    assert "Discussion (1)" in html
    assert post(signed_in(bob), paper, "To the void", reply_to=top.pk).status_code == 400


def test_a_moderator_hides_a_comment_and_shows_it_again(alice: User, bob: User, moderator: User) -> None:
    paper = add_paper()
    comment = comment_by(alice, paper, "Buy cheap watches")
    assert signed_in(bob).post(f"/comments/{comment.pk}/hide/").status_code == 403
    assert signed_in(moderator).post(f"/comments/{comment.pk}/hide/").status_code == 302
    assert "Buy cheap watches" not in page(paper)
    assert "Buy cheap watches" not in page(paper, signed_in(alice))
    as_moderator = page(paper, signed_in(moderator))
    assert "Buy cheap watches" in as_moderator and "hidden by a moderator" in as_moderator
    assert f"/comments/{comment.pk}/show/" in as_moderator
    assert signed_in(alice).post(f"/comments/{comment.pk}/edit/", {"body": "Now innocent"}).status_code == 400
    signed_in(moderator).post(f"/comments/{comment.pk}/show/")
    assert "Buy cheap watches" in page(paper)


def test_a_moderator_hides_comments_from_the_admin(alice: User, moderator: User) -> None:
    paper = add_paper()
    comment = comment_by(alice, paper, "Spam spam spam")
    response = signed_in(moderator).post(
        "/admin/discussion/comment/", {"action": "hide", "_selected_action": [comment.pk]}, follow=True
    )
    assert "1 comments hidden." in response.content.decode()
    assert "Spam spam spam" not in page(paper)


def test_a_banned_accounts_comments_are_hidden_and_its_replies_thread_kept(alice: User, bob: User) -> None:
    paper = add_paper()
    top = comment_by(alice, paper, "Troll text")
    comment_by(bob, paper, "Please stop", reply_to=top.pk)
    comment_by(alice, paper, "More troll text")
    assert "Troll text" in page(paper)  # and now in the anonymous page cache
    ban(User.objects.filter(pk=alice.pk))
    html = page(paper)
    assert "Troll text" not in html and "More troll text" not in html
    assert "[removed]" in html and "Please stop" in html and "Discussion (1)" in html


def test_a_hidden_paper_takes_no_comments_and_its_comments_cannot_be_changed(alice: User) -> None:
    paper = add_paper()
    comment = comment_by(alice, paper, "Before the hide")
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    client = signed_in(alice)
    response = post(client, paper, "After the hide")
    assert response.status_code == 404 and f"no paper {paper.arxiv_id}" in response.content.decode()
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 404
    assert Comment.objects.count() == 1


def test_an_unknown_paper_or_comment_is_a_404(alice: User) -> None:
    client = signed_in(alice)
    assert client.post("/comment/2601.99999/", {"body": "hello"}).status_code == 404
    assert client.post("/comment/not-an-id/", {"body": "hello"}).status_code == 404
    assert client.post("/comments/12345/delete/").status_code == 404
    assert client.post("/comments/99999999999999999999999/delete/").status_code == 404


def test_a_comment_shows_at_once_on_the_page_anonymous_visitors_get_from_the_cache(alice: User) -> None:
    paper = add_paper()
    assert "No comments yet." in page(paper)  # cached now
    comment_by(alice, paper, "Fresh news")
    assert "Fresh news" in page(paper)


def test_the_paper_page_takes_the_same_number_of_queries_with_more_comments(alice: User, bob: User) -> None:
    paper = add_paper()
    comment_by(alice, paper)
    client = signed_in(bob)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/paper/{paper.arxiv_id}/").status_code == 200
        return len(captured)

    queries()  # the session and the like, once
    before = queries()
    top = Comment.objects.get()
    for n in range(10):
        comment_by(alice if n % 2 else bob, paper, f"Comment {n}", reply_to=top.pk if n % 3 else None)
    assert queries() == before > 0
