"""Upvotes: one per user per paper, toggled with a POST, right under concurrent clicks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client

from paperfeed.papers.models import Vote
from paperfeed.papers.votes import set_vote, toggle_vote, vote_count
from tests.conftest import race
from tests.personas import add_paper, make_user, signed_in

pytestmark = pytest.mark.django_db


def test_a_vote_counts_once_and_a_second_click_takes_it_back(alice: User) -> None:
    paper = add_paper(upvotes=7)
    assert toggle_vote(alice, paper) is True
    assert vote_count(paper) == 8
    assert toggle_vote(alice, paper) is False
    assert vote_count(paper) == 7


def test_the_database_refuses_a_second_vote_by_the_same_user(alice: User) -> None:
    paper = add_paper()
    set_vote(alice, paper, on=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=alice, paper=paper, created_at=paper.changed_at)


def test_setting_a_vote_twice_keeps_one(alice: User) -> None:
    paper = add_paper()
    assert set_vote(alice, paper, on=True) and set_vote(alice, paper, on=True)
    assert Vote.objects.filter(paper=paper).count() == 1


def test_posting_to_the_vote_url_toggles_and_answers_json_when_asked(alice: User) -> None:
    paper = add_paper(upvotes=2)
    client = signed_in(alice)
    first = client.post(f"/vote/{paper.arxiv_id}/", HTTP_ACCEPT="application/json").json()
    second = client.post(f"/vote/{paper.arxiv_id}/", HTTP_ACCEPT="application/json").json()
    assert first == {"id": paper.arxiv_id, "voted": True, "upvotes": 3}
    assert second == {"id": paper.arxiv_id, "voted": False, "upvotes": 2}


def test_a_form_vote_redirects_back_to_the_page_it_came_from(alice: User) -> None:
    paper = add_paper()
    response = signed_in(alice).post(f"/vote/{paper.arxiv_id}/", {"next": "/day/2026-03-02/"})
    assert response.status_code == 302 and response["Location"] == "/day/2026-03-02/"
    assert Vote.objects.filter(user=alice, paper=paper).exists()


def test_a_vote_never_redirects_to_another_site(alice: User) -> None:
    paper = add_paper()
    response = signed_in(alice).post(f"/vote/{paper.arxiv_id}/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/paper/{paper.arxiv_id}/"


def test_a_get_changes_nothing(alice: User) -> None:
    paper = add_paper()
    assert signed_in(alice).get(f"/vote/{paper.arxiv_id}/").status_code == 405
    assert not Vote.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    paper = add_paper()
    response = client.post(f"/vote/{paper.arxiv_id}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Vote.objects.exists()


def test_a_vote_without_the_csrf_token_is_refused(alice: User) -> None:
    paper = add_paper()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(f"/vote/{paper.arxiv_id}/").status_code == 403
    assert not Vote.objects.exists()


def test_votes_are_rate_limited_per_user(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VOTES_PER_MINUTE = 3
    paper = add_paper()
    client = signed_in(alice)
    codes = [client.post(f"/vote/{paper.arxiv_id}/", HTTP_ACCEPT="application/json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "at most 3 per minute" in client.post(f"/vote/{paper.arxiv_id}/").content.decode()


def _post_together(clients: list[Client], path: str) -> list[int | BaseException]:
    """POST ``path`` from every client at the same moment, each in its own thread and connection:
    each client's status code, or what it raised."""
    return race(lambda n: clients[n].post(path, HTTP_ACCEPT="application/json").status_code, len(clients))


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_by_many_users_are_all_counted() -> None:
    paper = add_paper(upvotes=5)
    users = [make_user(f"voter{n}") for n in range(8)]
    codes = _post_together([signed_in(user) for user in users], f"/vote/{paper.arxiv_id}/")
    assert codes == [200] * 8
    assert vote_count(paper) == 5 + 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_clicks_by_one_user_leave_at_most_one_vote() -> None:
    paper = add_paper()
    alice = make_user("alice")
    codes = _post_together([signed_in(alice) for _ in range(6)], f"/vote/{paper.arxiv_id}/")
    assert codes == [200] * 6
    assert Vote.objects.filter(user=alice, paper=paper).count() <= 1
