"""Oversized input: thousands of tags in one library request, thousands of saved searches in one
subscription. Each is refused with a 400 that names the cap; digests of old rows stay bounded."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.library import save_paper
from paperfeed.accounts.models import LibraryEntry, Tag
from paperfeed.accounts.tokens import create_token
from paperfeed.digests.compose import compose_digest
from paperfeed.digests.models import Subscription
from paperfeed.papers.models import Paper
from paperfeed.search.indexing import index_papers
from tests.conftest import import_day
from tests.digest_support import SLOT, subscriber
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def api_save(user: User, arxiv_id: str, tags: list[str]):  # type: ignore[no-untyped-def]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}
    return Client().post("/api/library", {"id": arxiv_id, "tags": tags}, content_type="application/json", **auth)


def test_thousands_of_tags_in_one_api_request_are_refused_before_any_is_written(alice: User) -> None:
    response = api_save(alice, add_paper().arxiv_id, [f"tag{n}" for n in range(20_000)])
    assert response.status_code == 400 and "at most 20" in response.json()["detail"]
    assert not Tag.objects.exists() and not LibraryEntry.objects.exists()


def test_twenty_tags_on_a_paper_are_fine(alice: User) -> None:
    response = api_save(alice, add_paper().arxiv_id, [f"tag{n}" for n in range(20)])
    assert response.status_code == 200 and len(response.json()["tags"]) == 20


def test_a_tag_longer_than_64_characters_is_refused_on_the_api(alice: User) -> None:
    response = api_save(alice, add_paper().arxiv_id, ["x" * 65])
    assert response.status_code == 400 and "at most 64" in response.json()["detail"]


def test_tagging_past_200_different_tags_in_one_library_is_refused(alice: User) -> None:
    for n in range(10):
        save_paper(alice, add_paper(), [f"t{n}-{m}" for m in range(20)])
    paper = add_paper()
    response = api_save(alice, paper.arxiv_id, ["one-more"])
    assert response.status_code == 400 and "at most 200" in response.json()["detail"]
    assert api_save(alice, paper.arxiv_id, ["t0-0", "t9-19"]).status_code == 200  # tags already there are free


def test_tags_no_paper_carries_any_more_stop_counting(alice: User) -> None:
    papers = [add_paper() for _ in range(10)]
    for n, paper in enumerate(papers):
        save_paper(alice, paper, [f"t{n}-{m}" for m in range(20)])
    save_paper(alice, papers[0], [])  # its twenty tags are gone
    assert Tag.objects.filter(user=alice).count() == 180
    assert api_save(alice, add_paper().arxiv_id, [f"new{m}" for m in range(20)]).status_code == 200


def test_the_site_form_refuses_too_many_tags_with_a_message(alice: User) -> None:
    paper = add_paper()
    tags = ", ".join(f"tag{n}" for n in range(21))
    response = signed_in(alice).post(f"/library/save/{paper.arxiv_id}/", {"tags": tags}, follow=True)
    assert "21 tags: a saved paper can have at most 20" in response.content.decode()
    assert not LibraryEntry.objects.exists()


def test_the_site_form_refuses_a_tag_past_the_librarys_200(alice: User) -> None:
    for n in range(10):
        save_paper(alice, add_paper(), [f"t{n}-{m}" for m in range(20)])
    paper = add_paper()
    response = signed_in(alice).post(f"/library/save/{paper.arxiv_id}/", {"tags": "one-more"}, follow=True)
    assert "a library can have at most 200" in response.content.decode()


PROFILE = {
    "email": "dora@example.org",
    "frequency": "daily",
    "timezone": "UTC",
    "send_hour": "8",
    "send_weekday": "0",
    "trending_count": "0",
}


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("saved_searches", "\n".join(f"query {n}" for n in range(6_000)), "6000 saved searches: at most 20"),
        ("saved_searches", "x" * 201, "saved searches have at most 200 characters"),
        ("include_keywords", ",".join(f"word{n}" for n in range(51)), "51 include keywords: at most 50"),
        ("exclude_keywords", ",".join(f"word{n}" for n in range(51)), "51 exclude keywords: at most 50"),
        ("include_keywords", "w" * 101, "include keywords have at most 100 characters"),
        ("authors", "\n".join(f"Author {n}" for n in range(101)), "101 authors: at most 100"),
        ("categories", ", ".join(f"cs.X{n}" for n in range(51)), "51 categories: at most 50"),
    ],
)
def test_a_subscription_following_too_much_is_refused_with_400_naming_the_cap(
    field: str, text: str, message: str
) -> None:
    response = Client().post("/subscribe/", {**PROFILE, field: text})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_subscription_at_every_cap_is_accepted() -> None:
    full = {
        "saved_searches": "\n".join(f"query {n}" for n in range(20)),
        "include_keywords": ",".join(f"word{n}" for n in range(50)),
        "exclude_keywords": ",".join(f"other{n}" for n in range(50)),
        "authors": "\n".join(f"Author {n}" for n in range(100)),
        "categories": ", ".join(f"cs.X{n}" for n in range(50)),
    }
    response = Client().post("/subscribe/", {**PROFILE, **full})
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()


def test_a_digest_of_a_subscription_saved_before_the_caps_runs_only_its_first_20_saved_searches(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DIGEST_MAX_PAPERS = 100
    with time_machine.travel(SLOT, tick=False):
        import_day()
    index_papers(embed=False)
    titles = list(Paper.objects.order_by("arxiv_id").values_list("title", flat=True)[:30])
    old = subscriber(categories=[], saved_searches=[f'"{title}"' for title in titles])
    sections = compose_digest(old, SLOT)
    assert [section.title for section in sections] == [f'Saved search: "{title}"' for title in titles[:20]]
