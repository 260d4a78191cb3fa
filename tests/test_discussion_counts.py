"""Comment counts (discussion/counts.py): on cards, on the paper page and as the API's numComments."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.admin import ban
from paperfeed.discussion.counts import community_counts
from paperfeed.discussion.models import Comment
from paperfeed.papers.models import Paper
from tests.discussion_support import comment_by
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def card(html: str, paper: Paper) -> str:
    start = html.index(f'<article id="{paper.arxiv_id}">')
    return html[start : html.index("</article>", start)]


def test_cards_show_how_many_comments_a_paper_has(client: Client, alice: User, bob: User) -> None:
    talked_about, quiet = add_paper(title="Talked about"), add_paper(title="Quiet")
    top = comment_by(alice, talked_about)
    comment_by(bob, talked_about, reply_to=top.pk)
    for url in ("/", "/week/", "/month/", "/category/cs.LG/", "/author/Ada Lovelace/", "/trending/"):
        html = client.get(url).content.decode()
        assert f'href="/paper/{talked_about.arxiv_id}/#comments">2 comments</a>' in card(html, talked_about), url
        assert "comment" not in card(html, quiet), url


def test_deleted_hidden_and_banned_comments_do_not_count(
    alice: User, bob: User, charlie: User, moderator: User
) -> None:
    paper = add_paper()
    kept = comment_by(alice, paper)
    deleted, hidden, banned = comment_by(bob, paper), comment_by(alice, paper), comment_by(charlie, paper)
    signed_in(bob).post(f"/comments/{deleted.pk}/delete/")
    signed_in(moderator).post(f"/comments/{hidden.pk}/hide/")
    ban(User.objects.filter(pk=charlie.pk))
    assert community_counts([paper.pk]) == {paper.pk: 1}
    assert {kept.pk, banned.pk} <= set(Comment.objects.values_list("pk", flat=True))


def test_the_api_counts_hugging_faces_comments_and_those_here(client: Client, alice: User) -> None:
    from_hf, only_here = add_paper(num_comments=4), add_paper()
    comment_by(alice, from_hf)
    comment_by(alice, only_here)
    assert client.get(f"/api/papers/{from_hf.arxiv_id}").json()["numComments"] == 5
    assert client.get(f"/api/papers/{only_here.arxiv_id}").json()["numComments"] == 1
    items = {item["paper"]["id"]: item for item in client.get("/api/daily_papers?date=2026-03-02").json()}
    assert (items[from_hf.arxiv_id]["numComments"], items[from_hf.arxiv_id]["paper"]["numComments"]) == (5, 5)
    assert items[only_here.arxiv_id]["numComments"] == 1


def test_the_daily_api_counts_comments_in_one_query_however_many_papers(client: Client, alice: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    papers = [add_paper() for _ in range(3)]
    comment_by(alice, papers[0])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/daily_papers?date=2026-03-02")
        return len(captured)

    before = queries()
    for paper in [*papers, *[add_paper() for _ in range(5)]]:
        comment_by(alice, paper)
    assert queries() == before


def test_the_paper_page_links_to_hugging_faces_discussion_when_it_has_comments(client: Client) -> None:
    paper = add_paper(num_comments=3)
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert f'<a href="https://huggingface.co/papers/{paper.arxiv_id}">3 more on Hugging Face</a>' in html


def test_search_results_show_comment_counts_too(client: Client, data_dir: object, alice: User) -> None:
    from paperfeed.search.indexing import index_papers

    paper = add_paper(title="Graph networks for weather")
    comment_by(alice, paper)
    index_papers(embed=False)
    html = client.get("/search/?q=weather&mode=keyword").content.decode()
    assert f'href="/paper/{paper.arxiv_id}/#comments">1 comment</a>' in card(html, paper)
