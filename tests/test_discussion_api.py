"""/api/comments: reading a paper's discussion without a token, writing with one, the same rules as the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.tokens import create_token
from paperfeed.discussion.models import Comment
from paperfeed.papers.models import Paper
from tests.personas import add_paper

pytestmark = pytest.mark.django_db


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


def api_post(user: User, **fields: object):  # type: ignore[no-untyped-def]
    return Client().post("/api/comments", fields, content_type="application/json", **bearer(user))


def test_posting_replying_and_reading_through_the_api(client: Client, alice: User, bob: User) -> None:
    paper = add_paper()
    first = api_post(alice, paper=paper.arxiv_id, body="See https://example.org and $x^2$")
    assert first.status_code == 201
    top = first.json()
    assert (top["paper"], top["author"], top["parent"]) == (paper.arxiv_id, "alice", None)
    assert '<a href="https://example.org" rel="nofollow ugc noopener">' in top["html"] and "<math" in top["html"]
    reply = api_post(bob, paper=f"{paper.arxiv_id}v2", body="Thanks", parent=top["id"]).json()
    deeper = api_post(alice, paper=paper.arxiv_id, body="Welcome", parent=reply["id"]).json()
    assert reply["parent"] == deeper["parent"] == top["id"]
    listed = client.get(f"/api/comments?paper={paper.arxiv_id}").json()
    assert [(c["author"], c["body"]) for c in listed] == [
        ("alice", "See https://example.org and $x^2$"),
        ("bob", "Thanks"),
        ("alice", "Welcome"),
    ]
    assert client.get(f"/api/comments?paper={paper.arxiv_id}&limit=1&offset=1").json()[0]["author"] == "bob"


def test_writing_needs_a_token(client: Client) -> None:
    paper = add_paper()
    response = client.post("/api/comments", {"paper": paper.arxiv_id, "body": "hi"}, content_type="application/json")
    assert response.status_code == 401 and not Comment.objects.exists()


def test_authors_edit_and_delete_their_own_and_nobody_elses(client: Client, alice: User, bob: User) -> None:
    paper = add_paper()
    comment = api_post(alice, paper=paper.arxiv_id, body="Original").json()
    url = f"/api/comments/{comment['id']}"
    theirs = Client(**bearer(bob))
    assert theirs.patch(url, {"body": "Hijacked"}, content_type="application/json").status_code == 403
    assert theirs.delete(url).status_code == 403
    mine = Client(**bearer(alice))
    edited = mine.patch(url, {"body": "Edited"}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["body"] == "Edited" and edited.json()["editedAt"]
    assert mine.delete(url).status_code == 204
    assert client.get(f"/api/comments?paper={paper.arxiv_id}").json() == []
    assert mine.patch(url, {"body": "Back"}, content_type="application/json").status_code == 400


def test_bad_input_gets_a_4xx_naming_the_problem(alice: User) -> None:
    paper, other = add_paper(), add_paper()
    elsewhere = api_post(alice, paper=other.arxiv_id, body="There").json()
    cases = [
        ({"paper": paper.arxiv_id, "body": "x" * 5001}, 400, "at most 5,000"),
        ({"paper": paper.arxiv_id, "body": "  "}, 400, "the comment is empty"),
        ({"paper": paper.arxiv_id, "body": "nul\u0000"}, 400, "not text (U+0000)"),
        ({"paper": paper.arxiv_id, "body": "x", "parent": elsewhere["id"]}, 400, "there is no comment"),
        ({"paper": paper.arxiv_id, "body": "x", "parent": 10**30}, 400, "there is no comment"),
        ({"paper": "2601.99999", "body": "x"}, 404, "no paper 2601.99999"),
        ({"paper": "junk", "body": "x"}, 404, "no paper junk"),
    ]
    for fields, status, detail in cases:
        response = api_post(alice, **fields)
        assert response.status_code == status and detail in response.json()["detail"], (fields, response.json())


def test_a_hidden_paper_has_no_discussion_in_the_api(client: Client, alice: User) -> None:
    paper = add_paper()
    api_post(alice, paper=paper.arxiv_id, body="Before")
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert client.get(f"/api/comments?paper={paper.arxiv_id}").status_code == 404
    assert api_post(alice, paper=paper.arxiv_id, body="After").status_code == 404


def test_the_api_shares_the_hourly_rate_with_the_pages(settings, alice: User) -> None:  # type: ignore[no-untyped-def]
    settings.COMMENTS_PER_HOUR = 2
    paper = add_paper()
    statuses = [api_post(alice, paper=paper.arxiv_id, body=f"n{n}").status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    assert "at most 2 per hour" in api_post(alice, paper=paper.arxiv_id, body="again").json()["detail"]
