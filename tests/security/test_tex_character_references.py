"""TeX that names a character by reference: ``\\text{&#xD800;}`` passed latex2mathml as it is,
and texmath turned the reference into the character, so a lone surrogate failed the comment's
post (500) and a NUL or ESC in a comment failed its Atom feed (500) and reached every page
holding it. A reference to anything that is not text is now U+FFFD, in comments and abstracts."""

from __future__ import annotations

import xml.dom.minidom

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.tokens import create_token
from paperfeed.discussion.models import Comment
from paperfeed.lib.texmath import NOT_TEXT, math_html
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db
REFERENCES = ["&#x0;", "&#x1b;", "&#x7;", "&#x85;", "&#xD800;", "&#xDFFF;", "&#xFFFE;", "&#x110000;"]


@pytest.mark.parametrize("reference", REFERENCES)
def test_a_reference_in_a_comment_is_stored_and_fed_as_text(alice: User, reference: str) -> None:
    paper = add_paper()
    response = signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": f"see $\\text{{{reference}}}$"})
    assert response.status_code == 302
    html = Comment.objects.get().html
    assert "<mtext>\ufffd</mtext>" in html and not NOT_TEXT.search(html)
    feed = Client().get(f"/feeds/comments/{paper.arxiv_id}.atom")
    assert feed.status_code == 200
    xml.dom.minidom.parseString(feed.content)  # well-formed XML 1.0
    page = Client().get(f"/paper/{paper.arxiv_id}/")
    assert page.status_code == 200 and not NOT_TEXT.search(page.content.decode())


def test_a_lone_surrogate_by_the_api_is_a_201_not_a_500(alice: User) -> None:
    paper = add_paper()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    body = {"paper": paper.arxiv_id, "body": "$\\text{&#xD800;}$"}
    response = Client().post("/api/comments", body, content_type="application/json", **auth)
    assert response.status_code == 201 and "\ufffd" in response.json()["html"]


def test_an_abstract_with_a_reference_leaves_its_pages_and_feeds_whole() -> None:
    paper = add_paper(abstract="We bound $\\text{&#x0;&#xD800;&#x1b;[2J}$ in practice.")
    assert not NOT_TEXT.search(math_html(paper.abstract))
    for path in (f"/paper/{paper.arxiv_id}/", "/day/2026-03-02/", f"/papers/{paper.arxiv_id}.md"):
        response = Client().get(path)
        assert response.status_code == 200 and not NOT_TEXT.search(response.content.decode()), path
    feed = Client().get("/feeds/daily.atom")
    assert feed.status_code == 200
    xml.dom.minidom.parseString(feed.content)


def test_real_characters_by_reference_still_show() -> None:
    assert "<mtext>\U0001f600\t</mtext>" in math_html("$\\text{&#x1F600;&#x9;}$")
