"""/feeds/comments/ID.atom: the newest comments under a paper, read with a real feed parser."""

from __future__ import annotations

import feedparser
import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.papers.models import Paper
from tests.discussion_support import comment_by
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def test_the_feed_lists_new_comments_newest_first(client: Client, alice: User, bob: User, moderator: User) -> None:
    paper = add_paper(title="Attention again")
    first = comment_by(alice, paper, "Nice result, see https://example.org/x and $x^2$ <b>bold</b>")
    reply = comment_by(bob, paper, "Agreed", reply_to=first.pk)
    hidden = comment_by(bob, paper, "Spam")
    signed_in(moderator).post(f"/comments/{hidden.pk}/hide/")
    response = client.get(f"/feeds/comments/{paper.arxiv_id}.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.feed.title == "paperfeed: comments on Attention again"
    assert [entry.title for entry in feed.entries] == [
        "bob's reply on Attention again",
        "alice's comment on Attention again",
    ]
    assert feed.entries[0].link.endswith(f"/paper/{paper.arxiv_id}/#comment-{reply.pk}")
    assert feed.entries[0].author == "bob"
    summary = feed.entries[1].summary
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">' in summary and "&lt;b&gt;" in summary


def test_the_paper_page_links_its_feed(client: Client) -> None:
    paper = add_paper()
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert (
        f'type="application/atom+xml" title="Comments on this paper" href="/feeds/comments/{paper.arxiv_id}.atom"'
        in html
    )
    assert f'<a href="/feeds/comments/{paper.arxiv_id}.atom">Atom feed of new comments</a>' in html


def test_an_old_style_id_has_a_feed_too(client: Client, alice: User) -> None:
    paper = add_paper("hep-th/9901001")
    comment_by(alice, paper, "Classic")
    feed = feedparser.parse(client.get("/feeds/comments/hep-th/9901001.atom").content)
    assert [entry.author for entry in feed.entries] == ["alice"]


def test_a_hidden_or_unknown_paper_has_no_feed(client: Client) -> None:
    paper = add_paper()
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert client.get(f"/feeds/comments/{paper.arxiv_id}.atom").status_code == 404
    assert client.get("/feeds/comments/2601.99999.atom").status_code == 404
    assert client.get("/feeds/comments/nonsense.atom").status_code == 404
