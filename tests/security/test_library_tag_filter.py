"""A library filtered by a tag no tag can be (found by the API fuzzer on PostgreSQL): NUL in
``?tag=`` made PostgreSQL refuse the query, a 500. The API says why (400); the page lists nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.library import save_paper
from paperfeed.accounts.tokens import create_token
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tag", ["\x00", "ml\x00x", "x" * 5000, "<b>"])
def test_a_tag_filter_that_names_no_possible_tag_is_refused_not_a_500(alice: User, tag: str) -> None:
    save_paper(alice, add_paper(), ["ml"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    response = Client().get("/api/library", {"tag": tag}, **auth)
    assert response.status_code == 400 and "is not a tag" in response.json()["detail"]
    page = signed_in(alice).get("/library/", {"tag": tag})
    assert page.status_code == 200 and "Nothing saved yet" in page.content.decode()
    assert len(Client().get("/api/library", {"tag": "ml"}, **auth).json()) == 1  # a real tag still filters
